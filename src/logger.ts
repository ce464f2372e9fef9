/** Log lines on stdout/stderr, one per event, prefixed so they are easy to grep. */
export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(`[kbs] ${message}`),
  error: (message, error) => console.error(`[kbs] ${message}`, error ?? ''),
};

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };

import net from 'node:net';

/**
 * A TCP proxy between one test's API and PostgreSQL (the server or the embedded one), which the
 * test can cut and restore: an outage of that test's database connections only, never of the
 * shared cluster that other test files use at the same time.
 *
 * - `sever()`: every connection is dropped and new ones are refused (ECONNREFUSED), as while
 *   PostgreSQL restarts; `restore()` accepts again on the same port.
 * - `blackhole()`: every connection is dropped and new ones are accepted but never answered, as
 *   behind a network partition.
 * - `severAfterCommit()`: the next COMMIT's answer reaches the API, then the database goes away
 *   (as `sever()`): a write that committed, with the database lost right after.
 * - `severOnStatement(pattern)`: the database goes away when the API sends a matching statement.
 *
 * It reads the wire protocol in the clear: connect through it without SSL (as the tests do).
 */
export class DbProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'open' | 'refused' | 'blackhole' = 'open';
  private armed = false;
  private cutOn: RegExp | undefined;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private port = 0,
  ) {}

  /** A proxy on a free port of 127.0.0.1 to the host and port of `databaseUrl`. */
  static async start(databaseUrl: string): Promise<DbProxy> {
    const target = new URL(databaseUrl);
    const proxy = new DbProxy(target.hostname || '127.0.0.1', Number(target.port || 5432));
    await proxy.listen();
    return proxy;
  }

  /** `databaseUrl` with the proxy as its host and port. */
  url(databaseUrl: string): string {
    const u = new URL(databaseUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  sever(): void {
    this.mode = 'refused';
    this.dropAll();
    this.server?.close();
    this.server = null;
  }

  blackhole(): void {
    this.mode = 'blackhole';
    this.dropAll();
  }

  severAfterCommit(): void {
    this.armed = true;
  }

  /** The database goes away (as `sever()`) when the API sends a statement matching `pattern`, before it arrives. */
  severOnStatement(pattern: RegExp): void {
    this.cutOn = pattern;
  }

  async restore(): Promise<void> {
    this.armed = false;
    this.cutOn = undefined;
    if (this.mode === 'blackhole') this.dropAll();
    this.mode = 'open';
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => this.sockets.delete(client));
    if (this.mode !== 'open') {
      if (this.mode === 'refused') client.destroy();
      return; // blackhole: held open, never answered
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.sockets.add(upstream);
    upstream.on('error', () => {
      if (!client.writableEnded) client.destroy();
    });
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      if (!client.writableEnded) client.destroy();
    });
    client.on('close', () => upstream.destroy());
    client.on('data', this.forward(upstream));
    upstream.on('data', this.relay(client));
  }

  /**
   * Client-to-server bytes, message by message (after the startup message, which has no type
   * byte), so that an armed proxy can drop everything when a statement it waits for is sent.
   */
  private forward(upstream: net.Socket): (chunk: Buffer) => void {
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    return (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const typed = started ? 1 : 0;
        if (pending.length - start < typed + 4) break;
        const end = start + typed + pending.readInt32BE(start + typed);
        if (pending.length < end) break;
        const type = typed ? String.fromCharCode(pending[start]) : '';
        // Parse: statement name, then its text; Query: the text.
        const sql = type === 'P' ? pending.toString('utf8', pending.indexOf(0, start + 5) + 1, end) : type === 'Q' ? pending.toString('utf8', start + 5, end) : '';
        if (sql && this.cutOn?.test(sql)) {
          this.cutOn = undefined;
          this.sever();
          return;
        }
        if (!typed && pending.readInt32BE(start + 4) !== 80877103) started = true; // not an SSLRequest
        start = end;
      }
      if (start > 0 && !upstream.destroyed) upstream.write(pending.subarray(0, start));
      pending = pending.subarray(start);
    };
  }

  /**
   * Server-to-client bytes, message by message (type byte, int32 length), so that an armed proxy
   * can stop right after the ReadyForQuery that follows a COMMIT's CommandComplete.
   */
  private relay(client: net.Socket): (chunk: Buffer) => void {
    let pending: Buffer = Buffer.alloc(0);
    let committed = false;
    return (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      while (pending.length - start >= 5) {
        const length = pending.readInt32BE(start + 1);
        const end = start + 1 + length;
        if (pending.length < end) break;
        const type = String.fromCharCode(pending[start]);
        if (type === 'C' && pending.toString('utf8', start + 5, end - 1) === 'COMMIT') committed = true;
        if (type === 'Z' && committed && this.armed) {
          // The COMMIT's answer goes out, then the connection ends and every other one drops.
          this.armed = false;
          this.sockets.delete(client);
          this.sever();
          client.end(pending.subarray(0, end));
          pending = Buffer.alloc(0);
          return;
        }
        if (type === 'Z') committed = false;
        start = end;
      }
      if (start > 0) client.write(pending.subarray(0, start));
      pending = pending.subarray(start);
    };
  }
}

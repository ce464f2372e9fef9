import type { EmbeddedDatabase } from '../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __KBS_EMBEDDED__?: EmbeddedDatabase }).__KBS_EMBEDDED__?.close();
}

import fs from 'node:fs';

/** A running embedded PostgreSQL (PGlite + PostGIS) served over the wire protocol on localhost. */
export interface EmbeddedDatabase {
  /** Connection string for the pg driver. Use a pool of one connection: PGlite runs one query at a time. */
  url: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** Progress messages for the slow first start. */
  log?: (message: string) => void;
}

/**
 * Starts PGlite with PostGIS and a pglite-socket server on 127.0.0.1 (a free port), so that the rest
 * of the code talks to it with the ordinary pg driver, exactly as to a PostgreSQL server.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');

  const fresh = !options.dataDir || !fs.existsSync(options.dataDir) || fs.readdirSync(options.dataDir).length === 0;
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    log(
      fresh
        ? `creating the embedded database in ${options.dataDir} (first start: about 20 s)`
        : `opening the embedded database in ${options.dataDir} (about 5 s)`,
    );
  }
  const started = Date.now();
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis } });
  log(`PostgreSQL started (${((Date.now() - started) / 1000).toFixed(1)} s); loading PostGIS`);
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  log(`PostGIS ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;

  let closed = false;
  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
    },
  };
}

/**
 * `npm start`: migrates the database and serves the API. Without DATABASE_URL it runs on the
 * embedded PGlite + PostGIS database in KBS_DATA_DIR and loads the Nizip sample data into it the
 * first time; with DATABASE_URL it never loads sample data by itself (`npm run seed` does).
 */
import 'reflect-metadata';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { layersAreEmpty, migrateLatest, seedSampleData } from './db/migrate';
import { GeoService } from './geo/geo.service';
import { createLogger, loggerSettings, type Logger } from './logger';
import { createServer } from './server';

async function main(logger: Logger): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  if (!config.databaseUrl) logger.info('DATABASE_URL is not set: using the embedded database');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: (m) => logger.info(m), logger, ...config.database });
  logger.info(`database: ${db.description}`);

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      logger.info(`${signal} received: shutting down`);
      await server?.stop().catch((err) => logger.error('stopping the HTTP server failed', err));
      await db.close().catch((err) => logger.error('closing the database failed', err));
      logger.info('stopped');
      process.exit(0);
    })();
  };
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const ran = await migrateLatest(db.knex);
  logger.info(ran.length ? `ran ${ran.length} migration(s)` : 'schema up to date');
  if (db.embedded && (await layersAreEmpty(db.knex))) {
    logger.info('loading the Nizip sample data (first start only)');
    await seedSampleData(db.knex);
  }

  if (config.auth.jwtSecretGenerated) {
    logger.info('KBS_JWT_SECRET is not set: access tokens are signed with a random key and end when the server stops');
  }
  server = await createServer({ db: db.knex, geo: new GeoService(), auth: config.auth }, logger, {
    corsOrigins: config.corsOrigins,
    limits: config.limits,
    trustProxy: config.trustProxy,
    imports: config.imports,
  });
  const port = await server.listen(config.port);
  logger.info(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://localhost:${port}/graphql`);
}

let logger: Logger;
try {
  logger = createLogger(loggerSettings());
} catch (err) {
  console.error(`[kbs] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
main(logger).catch((err) => {
  logger.error('failed to start', err);
  process.exit(1);
});

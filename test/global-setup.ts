import 'reflect-metadata';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/db/embedded';
import { buildGraphiql } from '../scripts/build-graphiql';
import { randomBytes } from 'node:crypto';
import { TEMPLATE_ENV } from './helpers/sample-template';

/**
 * Builds the GraphiQL bundle that GET /graphql serves, unless it is current (as `npm run build` does).
 * Without TEST_DATABASE_URL, starts one in-memory embedded PGlite + PostGIS database for the whole
 * run and points TEST_DATABASE_URL at it. Each test file then works in a schema of its own.
 */
export default async function globalSetup(): Promise<void> {
  await buildGraphiql((m) => console.log(`\n[kbs] ${m}`));
  // The run's sample data template (test/helpers/sample-template.ts), seeded by the first file that needs it.
  process.env[TEMPLATE_ENV] = `test_sample_${randomBytes(6).toString('hex')}`;
  if (process.env.TEST_DATABASE_URL) {
    console.log(`\n[kbs] tests run against TEST_DATABASE_URL`);
    return;
  }
  console.log('\n[kbs] TEST_DATABASE_URL is not set: starting an embedded PGlite + PostGIS database (about 20 s)');
  const db: EmbeddedDatabase = await startEmbeddedDatabase();
  process.env.TEST_DATABASE_URL = db.url;
  process.env.KBS_TEST_EMBEDDED = '1';
  (globalThis as { __KBS_EMBEDDED__?: EmbeddedDatabase }).__KBS_EMBEDDED__ = db;
}

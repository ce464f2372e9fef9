import type { EmbeddedDatabase } from '../src/db/embedded';
import { createKnex } from '../src/db/knex';
import { silentLogger } from '../src/logger';
import { TEMPLATE_ENV } from './helpers/sample-template';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  const url = process.env.TEST_DATABASE_URL;
  if (template && url) {
    const knex = createKnex(url, { poolMax: 1, logger: silentLogger });
    try {
      await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [template]);
    } finally {
      await knex.destroy();
    }
  }
  await (globalThis as { __KBS_EMBEDDED__?: EmbeddedDatabase }).__KBS_EMBEDDED__?.close();
}

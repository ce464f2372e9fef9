/**
 * Database commands: `npm run migrate`, `npm run migrate:down`, `npm run seed`.
 * They act on DATABASE_URL, or on the embedded database in KBS_DATA_DIR when it is unset.
 */
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateLatest, rollbackAll, seedSampleData } from '../src/db/migrate';

async function main(): Promise<void> {
  const command = process.argv[2];
  const config = loadConfig();
  const log = (m: string) => console.log(`[kbs] ${m}`);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    log(`database: ${db.description}`);
    if (command === 'migrate') {
      const ran = await migrateLatest(db.knex);
      log(ran.length ? `ran ${ran.length} migration(s): ${ran.join(', ')}` : 'schema already up to date');
    } else if (command === 'rollback') {
      const undone = await rollbackAll(db.knex);
      log(undone.length ? `rolled back: ${undone.join(', ')}` : 'nothing to roll back');
    } else if (command === 'seed') {
      await migrateLatest(db.knex);
      const files = await seedSampleData(db.knex);
      log(`sample data loaded (${files.join(', ')})`);
    } else {
      throw new Error(`unknown command "${command}": use migrate, rollback or seed`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`[kbs] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

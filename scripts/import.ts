/**
 * `npm run import -- <layer> <file> … --as <username or API token>`: imports a file into a layer
 * (see src/modules/imports and README's "Importing data"). Acts on DATABASE_URL, or on the embedded
 * database in KBS_DATA_DIR when it is unset.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateLatest } from '../src/db/migrate';
import { runCli, USAGE } from '../src/modules/imports';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help')) {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: (m) => process.stderr.write(`[kbs] ${m}\n`) });
  try {
    await migrateLatest(db.knex);
    return await runCli(argv, {
      db: db.knex,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      tty: process.stderr.isTTY,
    });
  } finally {
    await db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`[kbs] import failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);

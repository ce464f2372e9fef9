import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { openSqlite, sqliteBackend } from '../src/common/sqlite';

/**
 * The SQLite files of GeoPackage downloads and imports, on whichever backend this Node.js has
 * (node:sqlite on Node.js 22.16+ and 24, better-sqlite3 on Node.js 20): values come back alike
 * from both; and a Node.js with neither loads the module all the same and says why it cannot open
 * a file (a real Node.js with native addons, and node:sqlite, switched off).
 */
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kbs-sqlite-test-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('on this Node.js', () => {
  it('has a backend: node:sqlite where Node.js has it built in, better-sqlite3 otherwise', () => {
    const builtIn = Number(process.versions.node.split('.')[0]) >= 24 || (process.versions.node.startsWith('22.') && Number(process.versions.node.split('.')[1]) >= 16);
    expect(sqliteBackend()).toEqual({ name: builtIn ? 'node:sqlite' : 'better-sqlite3' });
  });

  it('blobs as Buffer, integers as numbers (bigint past 2^53), rows as arrays in column order', () => {
    const file = path.join(dir, 'values.sqlite');
    const db = openSqlite(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, "2020" TEXT, "1" INTEGER, b BLOB, x DOUBLE, big INTEGER)');
    db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)').run(7, 'yıl', 42, Buffer.from([0x47, 0x50, 0, 1]), 1.5, 2n ** 60n + 1n);
    db.close();

    const ro = openSqlite(file, { readonly: true });
    const row = ro.prepare('SELECT * FROM t WHERE id = ?').get(7)!;
    expect(row).toEqual({ id: 7, 2020: 'yıl', 1: 42, b: Buffer.from([0x47, 0x50, 0, 1]), x: 1.5, big: 2n ** 60n + 1n });
    expect(Buffer.isBuffer(row.b)).toBe(true);
    // Names that look like numbers would come first in an object: arrays keep the SELECT's order.
    expect([...ro.prepare('SELECT b, "2020", "1", big, "1" FROM t', 'arrays').iterate()]).toEqual([
      [Buffer.from([0x47, 0x50, 0, 1]), 'yıl', 42, 2n ** 60n + 1n, 42],
    ]);
    expect(ro.prepare('SELECT count(*) AS n FROM t').all()).toEqual([{ n: 1 }]);
    expect(() => ro.exec('DELETE FROM t')).toThrow(/readonly/);
    ro.close();
    expect(() => openSqlite(path.join(dir, 'missing.sqlite'), { readonly: true })).toThrow();
    expect(existsSync(path.join(dir, 'missing.sqlite'))).toBe(false);
  });

  it('a transaction commits, or rolls back when its function throws', () => {
    const db = openSqlite(path.join(dir, 'tx.sqlite'));
    db.exec('CREATE TABLE t (n INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const page = db.transaction((values: (number | null)[]) => values.forEach((v) => insert.run(v)));
    page([1, 2]);
    expect(() => page([3, null])).toThrow(/NOT NULL/);
    expect(db.prepare<{ n: number }>('SELECT n FROM t ORDER BY n').all().map((r) => r.n)).toEqual([1, 2]);
    db.close();
  });
});

describe('on a Node.js without SQLite', () => {
  /** The module bundled as it ships (better-sqlite3 left to resolve), run by a Node.js with native addons and node:sqlite off. */
  async function withoutSqlite(findsBetterSqlite3: boolean): Promise<{ backend: unknown; error: { code: unknown; message: string; stack: boolean }; created: boolean }> {
    const bundle = path.join(dir, 'sqlite.cjs');
    buildSync({ entryPoints: [path.join(__dirname, '../src/common/sqlite.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3'], outfile: bundle, logLevel: 'silent' });
    const script = `
      const s = require(${JSON.stringify(bundle)});
      const file = ${JSON.stringify(path.join(dir, 'never.gpkg'))};
      let error;
      try { s.openSqlite(file); } catch (e) { error = { code: e.extensions && e.extensions.code, message: e.message, stack: /\\n\\s+at /.test(e.message) }; }
      console.log(JSON.stringify({ backend: s.sqliteBackend(), error, created: require('fs').existsSync(file) }));`;
    const flags = ['--no-addons', ...(process.getBuiltinModule?.('node:sqlite') ? ['--no-experimental-sqlite'] : [])];
    const env = { ...process.env, NODE_OPTIONS: '', NODE_PATH: findsBetterSqlite3 ? path.join(__dirname, '../node_modules') : '' };
    const { stdout } = await run(process.execPath, [...flags, '-e', script], { env });
    return JSON.parse(stdout);
  }

  it('better-sqlite3 installed but not loadable: SERVICE_UNAVAILABLE naming both ways to SQLite, no file made', async () => {
    const r = await withoutSqlite(true);
    expect(r.backend).toEqual({ unavailable: expect.stringMatching(/better-sqlite3 is installed but its native part does not load/) });
    expect(r.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(r.error.message).toMatch(/^GeoPackage \(an SQLite file\) needs SQLite.*Node\.js 22\.16 or later.*node:sqlite.*better-sqlite3 is installed but/);
    expect(r.error.stack).toBe(false);
    expect(r.created).toBe(false);
  });

  it('better-sqlite3 not installed: says so', async () => {
    const r = await withoutSqlite(false);
    expect(r.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(r.error.message).toMatch(/Node\.js 22\.16 or later.*the optional dependency better-sqlite3, and better-sqlite3 is not installed$/);
  });
});

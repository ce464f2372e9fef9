import pg from 'pg';
import { accessEventsOf } from '../src/modules/permissions/access-events';
import * as dbLimits from '../src/common/limits/db-limits';
import { codeOf, embedded, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertCamera, insertOrgUnit } from './helpers/factories';

/**
 * The access a server keeps per account is checked against the database's access notifications
 * (LISTEN/NOTIFY) instead of a read per request, reaches every process on the database, and falls
 * back to reading access_version while the notification connection is down.
 */
let app: TestApp;
let reader: { id: number; token: string };

beforeAll(async () => {
  app = await startTestApp();
  const unit = await insertOrgUnit(app.knex, 'AEV');
  await insertCamera(app.knex, 37.79, 37.01, { name: 'Kamera AEV' });
  reader = await insertUserWithGrants(app.knex, unit, 'aev-reader', [{ resource: 'CAMERAS', action: 'READ' }]);
});
afterAll(() => app?.close());

const CAMERAS = '{ cameras(first: 1) { totalCount } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another process on the same database: a client of its own, on the test's schema. */
async function fromAnotherConnection(sql: string, bindings: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${app.schema}", public`);
    await client.query(sql, bindings);
  } finally {
    await client.end();
  }
}

/** Polls until `check` holds (a notification takes a moment to travel), for at most two seconds. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

describe(embedded() ? 'access notifications (the embedded database passes none on: access_version is read per request)' : 'access notifications', () => {
  it('a request that needs no data sends no statement once its access is kept (none at all where notifications arrive)', async () => {
    await app.gql('{ __typename }', {}, null);
    await app.gql('{ __typename }', {}, reader.token);
    expect((await app.countStatements(() => app.gql('{ __typename }', {}, null))).statements).toBe(app.accessCheckStatements);
    expect((await app.countStatements(() => app.gql('{ __typename }', {}, reader.token))).statements).toBe(app.accessCheckStatements);
    expect(app.accessCheckStatements).toBe(embedded() ? 1 : 0);
  });

  it('a request that needs no data builds no database handle of its own; one that reads builds one', async () => {
    // Apollo Server copies the context for each operation, reading its own getters: a `db` getter
    // there built every request's handle (a knex instance and its scope) for nothing.
    const built = jest.spyOn(dbLimits, 'requestDatabase');
    try {
      await app.gql('{ __typename }', {}, reader.token);
      await app.gql('{ __typename }', {}, null);
      expect(built).not.toHaveBeenCalled();
      await app.gql(CAMERAS, {}, reader.token);
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      built.mockRestore();
    }
  });

  it('a grant taken away by another process is gone for the next requests, and an account it deactivates is refused', async () => {
    expect((await app.gql(CAMERAS, {}, reader.token)).data.cameras.totalCount).toBe(1);
    await fromAnotherConnection(`DELETE FROM role_grants WHERE role_id IN (SELECT role_id FROM user_roles WHERE user_id = $1)`, [reader.id]);
    expect(await eventually(async () => codeOf(await app.gql(CAMERAS, {}, reader.token)) === 'FORBIDDEN')).toBe(true);
    await fromAnotherConnection('UPDATE users SET active = false WHERE id = $1', [reader.id]);
    expect(await eventually(async () => codeOf(await app.gql('{ __typename }', {}, reader.token)) === 'UNAUTHENTICATED')).toBe(true);
    await app.knex('users').where({ id: reader.id }).update({ active: true });
    // This server's own change counts at once, without waiting for its notification.
    expect(codeOf(await app.gql('{ __typename }', {}, reader.token))).toBeUndefined();
  });

  it('while the notification connection is down, access_version is read per request; it reconnects by itself', async () => {
    const events = accessEventsOf(app.knex)!;
    if (!events.listening) {
      // The embedded database: always the read, and a change is seen at once.
      await app.gql('{ __typename }', {}, reader.token);
      expect((await app.countStatements(() => app.gql('{ __typename }', {}, reader.token))).statements).toBe(1);
      return;
    }
    await app.knex.raw('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?', [`kbs-graphql access events ${app.schema}`]);
    expect(await eventually(async () => !events.listening)).toBe(true);
    // Down: every request reads the counter, and a change made meanwhile is seen.
    await app.gql('{ __typename }', {}, reader.token);
    expect((await app.countStatements(() => app.gql('{ __typename }', {}, reader.token))).statements).toBe(1);
    await fromAnotherConnection('UPDATE users SET active = false WHERE id = $1', [reader.id]);
    expect(codeOf(await app.gql('{ __typename }', {}, reader.token))).toBe('UNAUTHENTICATED');
    await fromAnotherConnection('UPDATE users SET active = true WHERE id = $1', [reader.id]);
    // Back within a few seconds, without the read.
    for (let i = 0; i < 60 && !events.listening; i++) await sleep(100);
    expect(events.listening).toBe(true);
    await app.gql('{ __typename }', {}, reader.token);
    expect((await app.countStatements(() => app.gql('{ __typename }', {}, reader.token))).statements).toBe(0);
  });
});

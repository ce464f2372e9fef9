import { FAULT_TRANSITIONS } from '../src/modules/faults';
import { seedSampleData } from '../src/db/migrate';
import { startTestApp, type TestApp } from './helpers/app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: 'run' });
}, 120_000);
afterAll(() => app.close());

/** The first row of a query. */
const one = async (sql: string) => (await app.knex.raw(sql)).rows[0];

/** SQL counts of rows breaking a rule: each must be 0. */
async function violations(rules: Record<string, string>): Promise<Record<string, number>> {
  const sql = Object.entries(rules)
    .map(([name, query]) => `(SELECT count(*)::int FROM (${query}) v) AS "${name}"`)
    .join(',\n');
  return one(`SELECT ${sql}`);
}
const zeroes = (rules: Record<string, string>) => Object.fromEntries(Object.keys(rules).map((k) => [k, 0]));

const OPEN = `('NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_PARTS', 'WAITING_VENDOR', 'REOPENED')`;

describe('Nizip sample IT registers', () => {
  it('has at least 1,500 assets across at least 15 directorates and 20 remote units, and every camera as an asset', async () => {
    const r = await one(`
      SELECT (SELECT count(*)::int FROM assets) AS assets,
             (SELECT count(DISTINCT a.owner_org_unit_id)::int FROM assets a JOIN org_units o ON o.id = a.owner_org_unit_id
                WHERE o.kind = 'DIRECTORATE') AS directorates,
             (SELECT count(DISTINCT remote_unit_id)::int FROM assets) AS remote_units,
             (SELECT count(*)::int FROM cameras c WHERE NOT EXISTS (
                SELECT 1 FROM assets a WHERE a.camera_id = c.id AND a.type = 'CAMERA')) AS cameras_without_asset,
             (SELECT count(*)::int FROM assets WHERE type = 'CAMERA' AND camera_id IS NULL) AS camera_assets_unlinked,
             (SELECT count(DISTINCT type)::int FROM assets) AS types,
             (SELECT count(*)::int FROM assets WHERE state = 'IN_USE') AS in_use,
             (SELECT count(*)::int FROM assets WHERE state = 'IN_STOCK') AS in_stock,
             (SELECT count(*)::int FROM assets WHERE state = 'LOST') AS lost,
             (SELECT count(*)::int FROM assets WHERE state = 'DISPOSED') AS disposed,
             (SELECT count(*)::int FROM assets WHERE state = 'PENDING_DISPOSAL') AS pending,
             (SELECT count(*)::int FROM assets WHERE purchased_on < '2015-01-01' OR purchased_on > '2026-11-23'
                OR warranty_ends_on NOT BETWEEN purchased_on + interval '2 years' AND purchased_on + interval '3 years') AS bad_dates,
             (SELECT count(*)::int FROM assets WHERE ip_address IS NOT NULL AND NOT ip_address << '10.0.0.0/8'::inet) AS outside_10,
             (SELECT count(*)::int FROM assets a JOIN neighbourhoods n ON ST_Intersects(n.geom, a.geom)) > 0 AS placed,
             (SELECT count(*)::int FROM assets a WHERE NOT EXISTS (SELECT 1 FROM neighbourhoods n WHERE ST_Intersects(n.geom, a.geom))) AS outside_town,
             (SELECT count(*)::int FROM users WHERE kind = 'PERSON') AS people,
             (SELECT count(*)::int FROM vendors) AS vendors`);
    expect(r.assets).toBeGreaterThanOrEqual(1500);
    expect(r.directorates).toBeGreaterThanOrEqual(15);
    expect(r.remote_units).toBeGreaterThanOrEqual(20);
    expect(r).toMatchObject({ cameras_without_asset: 0, camera_assets_unlinked: 0, bad_dates: 0, outside_10: 0, outside_town: 0 });
    expect(r.types).toBeGreaterThanOrEqual(14);
    expect(r.in_use / r.assets).toBeGreaterThan(0.75);
    for (const k of ['in_stock', 'lost', 'disposed', 'pending']) expect(r[k]).toBeGreaterThan(0);
    expect(r.people).toBeGreaterThanOrEqual(60);
    expect(r.vendors).toBeGreaterThanOrEqual(8);
  });

  it("keeps assets, faults, vendor repairs and disposals consistent with each other", async () => {
    const rules = {
      faultStateWithoutOpenFault: `SELECT a.id FROM assets a WHERE a.state IN ('FAULTY', 'IN_REPAIR', 'AT_VENDOR')
        AND NOT EXISTS (SELECT 1 FROM faults f WHERE f.asset_id = a.id AND f.state IN ${OPEN})`,
      openFaultStateMismatch: `SELECT f.id FROM faults f JOIN assets a ON a.id = f.asset_id WHERE f.state IN ${OPEN}
        AND a.state <> CASE WHEN f.state IN ('NEW', 'ASSIGNED', 'REOPENED') THEN 'FAULTY'
                            WHEN f.state IN ('IN_PROGRESS', 'WAITING_PARTS') THEN 'IN_REPAIR' ELSE 'AT_VENDOR' END`,
      atVendorWithoutOpenRepair: `SELECT a.id FROM assets a WHERE a.state = 'AT_VENDOR' AND NOT EXISTS (
        SELECT 1 FROM vendor_repairs r JOIN faults f ON f.id = r.fault_id
        WHERE r.asset_id = a.id AND r.returned_on IS NULL AND f.state = 'WAITING_VENDOR')`,
      openRepairNotWaiting: `SELECT r.id FROM vendor_repairs r JOIN faults f ON f.id = r.fault_id
        WHERE r.returned_on IS NULL AND f.state <> 'WAITING_VENDOR'`,
      repairOfAnotherAsset: `SELECT r.id FROM vendor_repairs r JOIN faults f ON f.id = r.fault_id WHERE f.asset_id IS DISTINCT FROM r.asset_id`,
      returnedWithoutOutcome: `SELECT id FROM vendor_repairs WHERE (returned_on IS NULL) <> (outcome IS NULL) OR returned_on < sent_on`,
      disposedWithoutExecutedDisposal: `SELECT a.id FROM assets a WHERE a.state = 'DISPOSED'
        AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.asset_id = a.id AND d.state = 'EXECUTED')`,
      disposedInCustody: `SELECT a.id FROM assets a JOIN custody c ON c.asset_id = a.id AND c.to_at IS NULL WHERE a.state = 'DISPOSED'`,
      pendingWithoutOpenDisposal: `SELECT a.id FROM assets a WHERE a.state = 'PENDING_DISPOSAL'
        AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.asset_id = a.id AND d.state IN ('PROPOSED', 'APPROVED'))`,
      disposalStateMismatch: `SELECT d.id FROM disposals d JOIN assets a ON a.id = d.asset_id
        WHERE (d.state = 'EXECUTED' AND a.state <> 'DISPOSED') OR (d.state IN ('PROPOSED', 'APPROVED') AND a.state <> 'PENDING_DISPOSAL')`,
      disposalWithoutDecision: `SELECT id FROM disposals WHERE state <> 'PROPOSED' AND (decision_no IS NULL OR decided_by IS NULL)
        OR (state = 'EXECUTED') <> (executed_at IS NOT NULL)`,
      faultsOnDisposedAfterwards: `SELECT f.id FROM faults f JOIN disposals d ON d.asset_id = f.asset_id AND d.state <> 'REJECTED'
        WHERE f.reported_at >= d.proposed_at`,
      closedWithoutResolution: `SELECT id FROM faults WHERE state = 'CLOSED' AND (resolved_at IS NULL OR closed_at IS NULL OR cause IS NULL)`,
      resolvedTimestampsOutOfOrder: `SELECT id FROM faults WHERE NOT (reported_at <= coalesce(assigned_at, reported_at)
        AND coalesce(assigned_at, reported_at) <= coalesce(started_at, assigned_at, reported_at)
        AND coalesce(started_at, reported_at) <= coalesce(resolved_at, started_at, reported_at)
        AND coalesce(resolved_at, reported_at) <= coalesce(closed_at, resolved_at, reported_at))`,
      openFaultWithEndTimestamps: `SELECT id FROM faults WHERE state IN ${OPEN} AND (resolved_at IS NOT NULL OR closed_at IS NOT NULL OR cancelled_at IS NOT NULL)`,
      reporterOutsideDirectorate: `SELECT f.id FROM faults f JOIN users u ON u.id = f.reported_by JOIN org_units o ON o.id = u.org_unit_id
        WHERE f.owner_org_unit_id NOT IN (o.id, coalesce(o.parent_id, o.id))`,
      faultOfAssetOwnedElsewhere: `SELECT f.id FROM faults f JOIN assets a ON a.id = f.asset_id WHERE f.owner_org_unit_id <> a.owner_org_unit_id`,
      assigneeNotTechnicalService: `SELECT f.id FROM faults f JOIN users u ON u.id = f.assignee_id JOIN org_units o ON o.id = u.org_unit_id WHERE o.code <> 'TEKNIK'`,
      reportedOutsideWorkingHours: `SELECT id FROM faults, LATERAL (SELECT reported_at AT TIME ZONE 'Europe/Istanbul' AS t) l
        WHERE extract(isodow FROM l.t) > 5 OR l.t::time < '08:00' OR l.t::time >= '17:00'`,
    };
    expect(await violations(rules)).toEqual(zeroes(rules));
  });

  it('records every step of every fault as an event that matches the fault', async () => {
    const allowed = Object.entries(FAULT_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `('${from}', '${to}')`));
    const rules = {
      noReportEvent: `SELECT f.id FROM faults f WHERE NOT EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id
        AND e.from_state IS NULL AND e.to_state = 'NEW' AND e.at = f.reported_at AND e.actor_id = f.reported_by)`,
      eventWithoutActor: `SELECT id FROM fault_events WHERE actor_id IS NULL`,
      timestampWithoutEvent: `SELECT f.id FROM faults f, LATERAL (VALUES ('ASSIGNED', f.assigned_at), ('IN_PROGRESS', f.started_at),
          ('RESOLVED', f.resolved_at), ('CLOSED', f.closed_at), ('CANCELLED', f.cancelled_at)) AS s(state, at)
        WHERE s.at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = s.state AND e.at = s.at)`,
      stepWithoutTimestamp: `SELECT f.id FROM faults f WHERE (f.assigned_at IS NULL AND EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = 'ASSIGNED'))
        OR (f.started_at IS NULL AND EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = 'IN_PROGRESS'))
        OR (f.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = 'CANCELLED'))`,
      lastEventNotTheState: `SELECT f.id FROM faults f JOIN LATERAL (SELECT e.to_state FROM fault_events e WHERE e.fault_id = f.id
        ORDER BY e.at DESC, e.id DESC LIMIT 1) last ON true WHERE last.to_state <> f.state`,
      brokenChain: `SELECT id FROM (SELECT id, from_state, lag(to_state) OVER (PARTITION BY fault_id ORDER BY at, id) AS before
        FROM fault_events) x WHERE from_state IS DISTINCT FROM before`,
      stepNotAllowed: `SELECT e.id FROM fault_events e WHERE e.from_state IS NOT NULL
        AND (e.from_state, e.to_state) NOT IN (VALUES ${allowed.join(', ')})`,
      reopenCountMismatch: `SELECT f.id FROM faults f WHERE f.reopen_count <> (SELECT count(*) FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = 'REOPENED')`,
      eventsOutOfRange: `SELECT e.id FROM fault_events e JOIN faults f ON f.id = e.fault_id WHERE e.at < f.reported_at OR e.at > '2026-11-24'`,
      waitedForVendorWithoutRepair: `SELECT f.id FROM faults f WHERE EXISTS (SELECT 1 FROM fault_events e WHERE e.fault_id = f.id AND e.to_state = 'WAITING_VENDOR')
        AND NOT EXISTS (SELECT 1 FROM vendor_repairs r WHERE r.fault_id = f.id)`,
    };
    expect(await violations(rules)).toEqual(zeroes(rules));
  });

  it('spans two years of faults with realistic resolve times, some open now, in at least 20 neighbourhoods', async () => {
    const r = await one(`
      SELECT (SELECT count(*)::int FROM faults) AS faults,
             (SELECT count(*)::int FROM faults WHERE state IN ${OPEN}) AS open,
             (SELECT count(DISTINCT state)::int FROM faults WHERE state IN ${OPEN}) AS open_states,
             (SELECT age(max(reported_at), min(reported_at)) >= interval '23 months' FROM faults) AS spans,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - reported_at) / 3600)
                FROM faults WHERE resolved_at IS NOT NULL) AS median_hours,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - reported_at) / 3600)
                FROM faults WHERE resolved_at IS NOT NULL AND priority = 'URGENT') AS urgent_median_hours,
             (SELECT count(*)::int FROM faults WHERE asset_id IS NULL) AS on_places,
             (SELECT count(*)::int FROM faults WHERE state = 'CANCELLED') AS cancelled,
             (SELECT count(*)::int FROM faults WHERE reopen_count > 0) AS reopened,
             (SELECT count(*)::int FROM vendor_repairs) AS repairs,
             (SELECT count(DISTINCT basis)::int FROM vendor_repairs) AS bases,
             (SELECT count(*)::int FROM faults f JOIN assets a ON a.id = f.asset_id WHERE a.type IN ('PRINTER', 'COMPUTER', 'LAPTOP')) AS desk_faults,
             (SELECT count(DISTINCT n.id)::int FROM neighbourhoods n JOIN faults f ON ST_Intersects(n.geom, f.geom)) AS neighbourhoods`);
    expect(r.faults).toBeGreaterThanOrEqual(2500);
    expect(r.faults).toBeLessThanOrEqual(4000);
    expect(r.open).toBeGreaterThanOrEqual(10);
    expect(r.open).toBeLessThanOrEqual(80);
    expect(r.open_states).toBeGreaterThanOrEqual(4);
    expect(r.spans).toBe(true);
    expect(r.median_hours).toBeGreaterThanOrEqual(2);
    expect(r.median_hours).toBeLessThanOrEqual(120);
    expect(r.urgent_median_hours).toBeLessThan(r.median_hours);
    expect(r.desk_faults / r.faults).toBeGreaterThan(0.5);
    expect(r.neighbourhoods).toBeGreaterThanOrEqual(20);
    for (const k of ['on_places', 'cancelled', 'reopened', 'repairs']) expect(r[k]).toBeGreaterThan(0);
    expect(r.bases).toBe(3);
  });

  it('gives desk equipment into the custody of staff of its directorate, shared equipment to the unit, with history and handovers', async () => {
    const r = await one(`
      WITH person_type AS (
        SELECT a.* FROM assets a WHERE a.state = 'IN_USE' AND a.type IN ('COMPUTER', 'LAPTOP', 'MONITOR', 'PHONE')
      )
      SELECT (SELECT count(*)::int FROM person_type) AS desk_assets,
             (SELECT count(*)::int FROM person_type a JOIN custody c ON c.asset_id = a.id AND c.to_at IS NULL AND c.holder_user_id IS NOT NULL) AS held_by_people,
             (SELECT count(*)::int FROM custody c JOIN assets a ON a.id = c.asset_id JOIN users u ON u.id = c.holder_user_id
                JOIN org_units o ON o.id = u.org_unit_id
                WHERE a.owner_org_unit_id NOT IN (o.id, coalesce(o.parent_id, o.id))) AS held_outside_directorate,
             (SELECT count(*)::int FROM custody WHERE to_at IS NOT NULL) AS returned,
             (SELECT count(*)::int FROM custody WHERE holder_org_unit_id IS NOT NULL AND to_at IS NULL) AS unit_held,
             (SELECT count(*)::int FROM handovers) AS handovers,
             (SELECT count(*)::int FROM handover_items) AS handover_items,
             (SELECT count(*)::int FROM custody c JOIN users u ON u.id = c.holder_user_id WHERE c.to_at IS NULL AND NOT u.active) AS held_by_inactive,
             (SELECT count(*)::int FROM custody c JOIN assets a ON a.id = c.asset_id WHERE c.to_at IS NULL AND a.state IN ('IN_STOCK', 'LOST')) AS stock_in_custody`);
    expect(r.held_by_people / r.desk_assets).toBeGreaterThan(0.9);
    expect(r).toMatchObject({ held_outside_directorate: 0, held_by_inactive: 0, stock_in_custody: 0 });
    expect(r.returned).toBeGreaterThan(100);
    expect(r.unit_held).toBeGreaterThan(100);
    expect(r.handovers).toBeGreaterThanOrEqual(2);
    expect(r.handover_items).toBeGreaterThan(0);
  });

  it('has a stock with some items under their minimum, whose level was never negative', async () => {
    const r = await one(`
      WITH levels AS (
        SELECT i.id, i.minimum_level, coalesce(sum(m.quantity), 0) AS level
        FROM stock_items i LEFT JOIN stock_movements m ON m.item_id = i.id GROUP BY i.id
      )
      SELECT (SELECT count(*)::int FROM stock_items) AS items,
             (SELECT count(*)::int FROM levels WHERE level < minimum_level) AS under_minimum,
             (SELECT count(*)::int FROM (SELECT sum(quantity) OVER (PARTITION BY item_id ORDER BY at, id) AS level FROM stock_movements) x
                WHERE level < 0) AS negative,
             (SELECT count(*)::int FROM stock_movements WHERE kind = 'OUT' AND fault_id IS NOT NULL) AS for_faults,
             (SELECT count(*)::int FROM stock_movements m JOIN faults f ON f.id = m.fault_id WHERE m.at < f.reported_at) AS before_fault,
             (SELECT count(*)::int FROM stock_movements m JOIN stock_items i ON i.id = m.item_id JOIN faults f ON f.id = m.fault_id
                JOIN assets a ON a.id = f.asset_id WHERE i.code LIKE 'TNR-%' AND a.type <> 'PRINTER') AS toner_for_no_printer,
             (SELECT age(max(at), min(at)) >= interval '23 months' FROM stock_movements) AS spans`);
    expect(r.items).toBeGreaterThanOrEqual(25);
    expect(r.under_minimum).toBeGreaterThanOrEqual(1);
    expect(r.under_minimum).toBeLessThan(r.items / 3);
    expect(r).toMatchObject({ negative: 0, before_fault: 0, toner_for_no_printer: 0, spans: true });
    expect(r.for_faults).toBeGreaterThan(100);
  });

  it('gives directorate staff their own directorate’s assets and faults, analysts all of them', async () => {
    const login = async (u: string) =>
      (await app.gql(`mutation { login(username: "${u}", password: "nizip-ornek-2026") { accessToken } }`)).data.login.accessToken as string;
    const counts = `{ assets { totalCount } faults { totalCount } }`;
    const fatma = await app.gql(counts, {}, await login('fatma.kaya'));
    expect(fatma.errors).toBeUndefined();
    const fen = await one(`SELECT (SELECT count(*)::int FROM assets a JOIN org_units o ON o.id = a.owner_org_unit_id WHERE o.code = 'FEN' AND a.state <> 'DISPOSED') AS assets,
                                  (SELECT count(*)::int FROM faults f JOIN org_units o ON o.id = f.owner_org_unit_id WHERE o.code = 'FEN') AS faults`);
    expect(fatma.data).toEqual({ assets: { totalCount: fen.assets }, faults: { totalCount: fen.faults } });
    const zeynep = await app.gql(counts, {}, await login('zeynep.arslan'));
    const all = await one(`SELECT (SELECT count(*)::int FROM assets WHERE state <> 'DISPOSED') AS assets, (SELECT count(*)::int FROM faults) AS faults`);
    expect(zeynep.data).toEqual({ assets: { totalCount: all.assets }, faults: { totalCount: all.faults } });

    const areaOnUnmapped = await one(`SELECT count(*)::int AS n FROM role_grants g
      WHERE g.resource NOT IN ('NEIGHBOURHOODS', 'CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS', 'ASSETS', 'FAULTS')
        AND (g.area_geom IS NOT NULL OR EXISTS (SELECT 1 FROM role_grant_neighbourhoods n WHERE n.grant_id = g.id))`);
    expect(areaOnUnmapped.n).toBe(0);
  });

  it('is deterministic and safe to run again: same registers, same ids, no grant added twice', async () => {
    const snapshot = () =>
      one(`SELECT
        (SELECT md5(string_agg(concat_ws('|', id, inventory_no, serial_no, type, owner_org_unit_id, remote_unit_id, camera_id, state, ip_address, mac_address, purchased_on, ST_AsText(geom)), ',' ORDER BY id)) FROM assets) AS assets,
        (SELECT md5(string_agg(concat_ws('|', id, asset_id, state, reported_by, assignee_id, reported_at, resolved_at, closed_at, ST_AsText(geom)), ',' ORDER BY id)) FROM faults) AS faults,
        (SELECT md5(string_agg(concat_ws('|', id, fault_id, at, actor_id, from_state, to_state), ',' ORDER BY id)) FROM fault_events) AS events,
        (SELECT md5(string_agg(concat_ws('|', id, asset_id, holder_user_id, holder_org_unit_id, from_at, to_at, handover_id), ',' ORDER BY id)) FROM custody) AS custody,
        (SELECT md5(string_agg(concat_ws('|', id, item_id, kind, quantity, fault_id, at), ',' ORDER BY id)) FROM stock_movements) AS stock,
        (SELECT md5(string_agg(concat_ws('|', id, asset_id, state, decision_no, executed_at), ',' ORDER BY id)) FROM disposals) AS disposals,
        (SELECT md5(string_agg(concat_ws('|', id, role_id, resource, action, own_org_unit_only, fields), ',' ORDER BY id)) FROM role_grants) AS grants,
        (SELECT md5(string_agg(concat_ws('|', id, username, active), ',' ORDER BY id)) FROM users) AS users`);
    const before = await snapshot();
    await seedSampleData(app.knex);
    expect(await snapshot()).toEqual(before);
  }, 120_000);
});

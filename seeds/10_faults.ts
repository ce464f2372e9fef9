import type { Knex } from 'knex';
import { SQUARES } from './data/nizip';
import { iso, registersFor } from './data/registers';
import { vendorByKey } from './data/vendors';

/**
 * Two years of sample faults with every step of their workflow (fault_events) and the repairs sent
 * to vendors. A fault is where its asset is (or was, for equipment since brought back to the store),
 * or at the place it was reported on. Written only into an empty register, in one transaction:
 * a register that already holds faults is left as it is. The events find their fault by its report
 * time, unique within the sample.
 */
export async function seed(knex: Knex): Promise<void> {
  const { faults } = await registersFor(knex);
  const square = new Map(SQUARES.map((q) => [q.name, q.at]));
  await knex.transaction(async (trx) => {
    const { rows } = await trx.raw('SELECT EXISTS (SELECT 1 FROM faults) AS present');
    if (rows[0].present) return;

    const faultRows = faults.map((f, n) => {
      const at = f.place ? square.get(f.place.square) : undefined;
      if (f.place && !at) throw new Error(`no square named ${f.place.square}`);
      const last = f.events[f.events.length - 1].at;
      return {
        n,
        inventory_no: f.asset?.inventoryNo ?? null,
        remote_unit_at: f.remoteUnitAt,
        lon: at?.[0] ?? null,
        lat: at?.[1] ?? null,
        bearing: f.place?.bearing ?? null,
        distance_m: f.place?.distanceM ?? null,
        owner: f.owner,
        reported_by: f.reportedBy,
        category: f.category,
        priority: f.priority,
        description: f.description,
        state: f.state,
        assignee: f.assignee,
        cause: f.cause,
        resolution: f.resolution,
        state_before: f.stateBefore,
        reported_at: iso(f.reportedAt),
        assigned_at: iso(f.assignedAt),
        started_at: iso(f.startedAt),
        resolved_at: iso(f.resolvedAt),
        closed_at: iso(f.closedAt),
        cancelled_at: iso(f.cancelledAt),
        reopen_count: f.reopenCount,
        version: f.events.length,
        updated_at: iso(last),
      };
    });
    // Events in the order they happened, as the workflow would have written them.
    const eventRows = faults
      .flatMap((f) => f.events.map((e) => ({ f, e })))
      .sort((x, y) => x.e.at - y.e.at || x.f.reportedAt - y.f.reportedAt)
      .map(({ f, e }, n) => ({ n, fault_at: iso(f.reportedAt), at: iso(e.at), actor: e.actor, from_state: e.from, to_state: e.to, note: e.note }));

    await trx.raw(
      `WITH inserted AS (
         INSERT INTO faults (asset_id, owner_org_unit_id, reported_by, category, priority, description, state, assignee_id, cause,
                             resolution, asset_state_before, reported_at, assigned_at, started_at, resolved_at, closed_at,
                             cancelled_at, reopen_count, geom, version, created_at, updated_at)
         SELECT a.id, o.id, rb.id, f.category, f.priority, f.description, f.state, au.id, f.cause,
                f.resolution, f.state_before, f.reported_at, f.assigned_at, f.started_at, f.resolved_at, f.closed_at,
                f.cancelled_at, f.reopen_count,
                coalesce(ru.geom, a.geom,
                         ST_Project(ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326)::geography, f.distance_m, radians(f.bearing))::geometry),
                f.version, f.reported_at, f.updated_at
         FROM json_to_recordset(?::json) AS f(
           n int, inventory_no text, remote_unit_at text, lon float8, lat float8, bearing float8, distance_m float8, owner text,
           reported_by text, category text, priority text, description text, state text, assignee text, cause text, resolution text,
           state_before text, reported_at timestamptz, assigned_at timestamptz, started_at timestamptz, resolved_at timestamptz,
           closed_at timestamptz, cancelled_at timestamptz, reopen_count int, version int, updated_at timestamptz)
         JOIN org_units o ON o.code = f.owner
         LEFT JOIN assets a ON a.inventory_no = f.inventory_no
         LEFT JOIN remote_units ru ON ru.code = f.remote_unit_at
         LEFT JOIN users rb ON rb.username = f.reported_by
         LEFT JOIN users au ON au.username = f.assignee
         ORDER BY f.n
         RETURNING id, reported_at
       )
       INSERT INTO fault_events (fault_id, at, actor_id, from_state, to_state, note)
       SELECT i.id, e.at, u.id, e.from_state, e.to_state, e.note
       FROM json_to_recordset(?::json) AS e(n int, fault_at timestamptz, at timestamptz, actor text, from_state text, to_state text, note text)
       JOIN inserted i ON i.reported_at = e.fault_at
       LEFT JOIN users u ON u.username = e.actor
       ORDER BY e.n`,
      [JSON.stringify(faultRows), JSON.stringify(eventRows)],
    );

    const repairs = faults.filter((f) => f.repair && f.asset);
    await trx.raw(
      `INSERT INTO vendor_repairs (fault_id, asset_id, vendor_id, basis, sent_on, expected_back_on, returned_on, outcome, cost_try,
                                   notes, created_at, updated_at)
       SELECT f.id, f.asset_id, v.id, r.basis, r.sent_on, r.expected_back_on, r.returned_on, r.outcome, r.cost_try,
              r.notes, r.sent_at, coalesce(r.returned_at, r.sent_at)
       FROM json_to_recordset(?::json) AS r(
         n int, fault_at timestamptz, vendor text, basis text, sent_on date, expected_back_on date, returned_on date, outcome text,
         cost_try numeric, notes text, sent_at timestamptz, returned_at timestamptz)
       JOIN faults f ON f.reported_at = r.fault_at AND f.asset_id IS NOT NULL
       JOIN vendors v ON lower(v.name) = lower(r.vendor)
       ORDER BY r.n`,
      [
        JSON.stringify(
          repairs.map((f, n) => {
            const r = f.repair!;
            return {
              n,
              fault_at: iso(f.reportedAt),
              vendor: vendorByKey(r.vendor).name,
              basis: r.basis,
              sent_on: r.sentOn,
              expected_back_on: r.expectedBackOn,
              returned_on: r.returnedOn,
              outcome: r.outcome,
              cost_try: r.costTry,
              notes: r.notes,
              sent_at: iso(r.sentAt),
              returned_at: iso(r.returnedAt),
            };
          }),
        ),
      ],
    );
  });
}

import type { Knex } from 'knex';
import { STREET_POINT_LATERAL } from './data/sql';
import { STREETS, lineWkt } from './data/nizip';
import { BUILDINGS } from './data/places';
import { iso, registersFor } from './data/registers';
import { VENDORS } from './data/vendors';

/**
 * The sample IT inventory: vendors, about two thousand assets (directorates' desks and shared
 * equipment, remote units, the server room, every camera of the camera layer, the IT store) and the
 * disposals of the old equipment. Buildings are placed by PostGIS beside the streets (the town hall
 * where the central data room is); an asset is at its building, its remote unit or its camera's pole.
 *
 * Registers are records with a history, so re-running never rewrites them: vendors and assets are
 * inserted when missing (by name, inventory number, serial or camera), disposals only into an
 * empty register. One transaction: all of it or nothing.
 */
export async function seed(knex: Knex): Promise<void> {
  const { assets, disposals } = await registersFor(knex);
  await knex.transaction(async (trx) => {
    await trx.raw(
      `INSERT INTO vendors (name, phone, email, contract_no, contract_ends_on)
       SELECT v.name, v.phone, v.email, v.contract_no, v.contract_ends_on
       FROM json_to_recordset(?::json) AS v(n int, name text, phone text, email text, contract_no text, contract_ends_on date)
       ORDER BY v.n
       ON CONFLICT ((lower(name))) DO NOTHING`,
      [JSON.stringify(VENDORS.map((v, n) => ({ n, name: v.name, phone: v.phone, email: v.email, contract_no: v.contract?.no ?? null, contract_ends_on: v.contract?.to ?? null })))],
    );

    const vendorName = new Map(VENDORS.map((v) => [v.key, v.name]));
    await trx.raw(
      `WITH streets AS (
         SELECT s.name, ST_GeomFromText(s.wkt, 4326) AS geom
         FROM json_to_recordset(?::json) AS s(name text, wkt text)
       ),
       buildings AS (
         SELECT c.code, coalesce(n.geom, ST_Project(l.pt, c.offset_m, l.heading + c.side * pi() / 2)::geometry) AS geom
         FROM json_to_recordset(?::json) AS c(code text, node text, street text, fraction float8, side int, offset_m float8)
         LEFT JOIN network_nodes n ON n.code = c.node
         LEFT JOIN streets s ON s.name = c.street
         ${STREET_POINT_LATERAL}
       )
       INSERT INTO assets (inventory_no, serial_no, type, make, model, owner_org_unit_id, remote_unit_id, site, camera_id,
                           purchased_on, vendor_id, warranty_ends_on, ip_address, mac_address, state, notes, geom)
       SELECT a.inventory_no, a.serial_no, a.type, a.make, a.model, o.id, ru.id, a.site, cam.id,
              a.purchased_on, v.id, a.warranty_ends_on, a.ip::inet, a.mac::macaddr, a.state, a.notes,
              coalesce(b.geom, ru.geom, cam.geom)
       FROM json_to_recordset(?::json) AS a(
         n int, inventory_no text, serial_no text, type text, make text, model text, owner text, remote_unit text, building text,
         camera text, site text, purchased_on date, vendor text, warranty_ends_on date, ip text, mac text, state text, notes text)
       JOIN org_units o ON o.code = a.owner
       LEFT JOIN remote_units ru ON ru.code = a.remote_unit
       LEFT JOIN cameras cam ON cam.code = a.camera
       LEFT JOIN buildings b ON b.code = a.building
       LEFT JOIN vendors v ON lower(v.name) = lower(a.vendor)
       ORDER BY a.n
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(STREETS.map((s) => ({ name: s.name, wkt: lineWkt(s.path) }))),
        JSON.stringify(BUILDINGS.map((b) => ({ code: b.code, node: b.node ?? null, street: b.street ?? null, fraction: b.fraction ?? null, side: b.side ?? null, offset_m: b.offsetM ?? null }))),
        JSON.stringify(
          assets.map((a, n) => ({
            n,
            inventory_no: a.inventoryNo,
            serial_no: a.serialNo,
            type: a.type,
            make: a.model.make,
            model: a.model.model,
            owner: a.owner,
            remote_unit: a.remoteUnit,
            building: a.building,
            camera: a.camera,
            site: a.site,
            purchased_on: a.purchasedOn,
            vendor: vendorName.get(a.model.supplier),
            warranty_ends_on: a.warrantyEndsOn,
            ip: a.ip,
            mac: a.mac,
            state: a.state,
            notes: a.notes,
          })),
        ),
      ],
    );

    await trx.raw(
      `INSERT INTO disposals (asset_id, state, reason, proposed_by, proposed_at, decision_no, decision_date, decided_by,
                              executed_at, executed_by, asset_state_before, created_at, updated_at)
       SELECT a.id, d.state, d.reason, pb.id, d.proposed_at, d.decision_no, d.decision_date, db.id,
              d.executed_at, eb.id, d.state_before, d.proposed_at, coalesce(d.executed_at, d.decision_date::timestamptz, d.proposed_at)
       FROM json_to_recordset(?::json) AS d(
         n int, inventory_no text, state text, reason text, proposed_by text, proposed_at timestamptz, decision_no text,
         decision_date date, decided_by text, executed_at timestamptz, executed_by text, state_before text)
       JOIN assets a ON a.inventory_no = d.inventory_no
       LEFT JOIN users pb ON pb.username = d.proposed_by
       LEFT JOIN users db ON db.username = d.decided_by
       LEFT JOIN users eb ON eb.username = d.executed_by
       WHERE NOT EXISTS (SELECT 1 FROM disposals)
       ORDER BY d.n`,
      [
        JSON.stringify(
          [...disposals]
            .sort((x, y) => x.proposedAt - y.proposedAt)
            .map((d, n) => ({
              n,
              inventory_no: d.inventoryNo,
              state: d.state,
              reason: d.reason,
              proposed_by: d.proposedBy,
              proposed_at: iso(d.proposedAt),
              decision_no: d.decisionNo,
              decision_date: d.decisionDate,
              decided_by: d.decidedBy,
              executed_at: iso(d.executedAt),
              executed_by: d.executedBy,
              state_before: d.stateBefore,
            })),
        ),
      ],
    );
  });
}

import type { Knex } from 'knex';
import { iso, registersFor } from './data/registers';
import { STOCK_ITEMS } from './data/stock-items';

/**
 * Sample custody (zimmet) with its history and three handovers, and the IT store: its items and two
 * years of movements (parts for faults name the fault, found by its report time). Stock items are
 * inserted when missing (by code); custody, handovers and movements only into empty registers
 * (movements are append-only anyway). One transaction: all of it or nothing.
 */
export async function seed(knex: Knex): Promise<void> {
  const { custody, handovers, movements } = await registersFor(knex);
  await knex.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `SELECT EXISTS (SELECT 1 FROM custody) OR EXISTS (SELECT 1 FROM handovers) AS custody,
              EXISTS (SELECT 1 FROM stock_movements) AS movements`,
    );

    if (!rows[0].custody) {
      await trx.raw(
        `INSERT INTO handovers (from_user_id, to_user_id, done_by, at, note)
         SELECT fu.id, tu.id, du.id, h.at, h.note
         FROM json_to_recordset(?::json) AS h(n int, from_user text, to_user text, done_by text, at timestamptz, note text)
         JOIN users fu ON fu.username = h.from_user
         JOIN users tu ON tu.username = h.to_user
         LEFT JOIN users du ON du.username = h.done_by
         ORDER BY h.n`,
        [JSON.stringify(handovers.map((h, n) => ({ n, from_user: h.from, to_user: h.to, done_by: h.doneBy, at: iso(h.at), note: h.note })))],
      );
      await trx.raw(
        `INSERT INTO custody (asset_id, holder_user_id, holder_org_unit_id, from_at, to_at, given_by, returned_by, handover_id, note, return_note)
         SELECT a.id, hu.id, ho.id, c.from_at, c.to_at, gb.id, rb.id, h.id, c.note, c.return_note
         FROM json_to_recordset(?::json) AS c(
           n int, inventory_no text, holder_user text, holder_unit text, from_at timestamptz, to_at timestamptz, given_by text,
           returned_by text, handover_at timestamptz, note text, return_note text)
         JOIN assets a ON a.inventory_no = c.inventory_no
         LEFT JOIN users hu ON hu.username = c.holder_user
         LEFT JOIN org_units ho ON ho.code = c.holder_unit
         LEFT JOIN users gb ON gb.username = c.given_by
         LEFT JOIN users rb ON rb.username = c.returned_by
         LEFT JOIN handovers h ON h.at = c.handover_at AND h.to_user_id = hu.id
         ORDER BY c.n`,
        [
          JSON.stringify(
            [...custody]
              .sort((x, y) => x.fromAt - y.fromAt || x.asset.inventoryNo.localeCompare(y.asset.inventoryNo))
              .map((c, n) => ({
                n,
                inventory_no: c.asset.inventoryNo,
                holder_user: c.holderUser,
                holder_unit: c.holderUnit,
                from_at: iso(c.fromAt),
                to_at: iso(c.toAt),
                given_by: c.givenBy,
                returned_by: c.returnedBy,
                handover_at: c.handover === null ? null : iso(handovers[c.handover].at),
                note: c.note,
                return_note: c.returnNote,
              })),
          ),
        ],
      );
      // Each handover lists, per asset, the custody it ended and the one it began.
      await trx.raw(
        `INSERT INTO handover_items (handover_id, asset_id, ended_custody_id, started_custody_id)
         SELECT h.id, s.asset_id, e.id, s.id
         FROM handovers h
         JOIN custody s ON s.handover_id = h.id
         JOIN custody e ON e.asset_id = s.asset_id AND e.to_at = h.at AND e.holder_user_id = h.from_user_id
         ORDER BY h.id, s.asset_id`,
      );
    }

    await trx.raw(
      `INSERT INTO stock_items (code, name, category, unit, minimum_level, owner_org_unit_id)
       SELECT i.code, i.name, i.category, i.unit, i.minimum, (SELECT id FROM org_units WHERE code = 'BIM')
       FROM json_to_recordset(?::json) AS i(n int, code text, name text, category text, unit text, minimum int)
       ORDER BY i.n
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(STOCK_ITEMS.map((i, n) => ({ n, code: i.code, name: i.name, category: i.category, unit: i.unit, minimum: i.minimum })))],
    );

    if (!rows[0].movements) {
      await trx.raw(
        `INSERT INTO stock_movements (item_id, kind, quantity, fault_id, actor_id, at, note)
         SELECT i.id, m.kind, m.quantity, f.id, u.id, m.at, m.note
         FROM json_to_recordset(?::json) AS m(
           n int, item text, kind text, quantity int, fault_asset text, fault_at timestamptz, actor text, at timestamptz, note text)
         JOIN stock_items i ON i.code = m.item
         LEFT JOIN assets fa ON fa.inventory_no = m.fault_asset
         LEFT JOIN faults f ON f.reported_at = m.fault_at AND f.asset_id = fa.id
         LEFT JOIN users u ON u.username = m.actor
         ORDER BY m.n`,
        [
          JSON.stringify(
            movements.map((m, n) => ({
              n,
              item: m.item,
              kind: m.kind,
              quantity: m.quantity,
              fault_asset: m.fault?.asset?.inventoryNo ?? null,
              fault_at: m.fault ? iso(m.fault.reportedAt) : null,
              actor: m.actor,
              at: iso(m.at),
              note: m.note,
            })),
          ),
        ],
      );
    }
  });
}

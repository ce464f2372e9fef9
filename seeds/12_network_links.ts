import type { Knex } from 'knex';

/**
 * The links between the sample network, the inventory and the cameras (see the migration
 * network_element_links):
 * - every installed node has its equipment as an asset of the IT directorate: the central data
 *   room its first core switch (already in the inventory), a cabinet its industrial switch, a
 *   radio-link mast its switch, a splice point its splice box;
 * - every leased line in service has its circuit as a LEASED_LINE asset, the provider's circuit id
 *   as its serial number, placed at the line's A end;
 * - a camera is served by its remote unit when its asset is at one; otherwise by the nearest
 *   cabinet or radio switch in service, or a remote unit when that is nearer.
 * Everything is computed by PostGIS from the rows already seeded; the makes and models are the
 * ones Nizip's tenders name. Idempotent: assets are inserted once (by inventory number), links only
 * set where missing.
 */
const EQUIPMENT: Record<string, { type: string; make: string; model: string; prefix: string; serial: string }> = {
  CABINET: { type: 'SWITCH', make: 'Cisco', model: 'IE-3300-8T2S', prefix: 'AGA', serial: 'FOC' },
  SWITCH: { type: 'SWITCH', make: 'MikroTik', model: 'CRS328-24P-4S+RM', prefix: 'AGA', serial: 'HE0' },
  SPLICE_POINT: { type: 'SPLICE_BOX', make: 'CommScope', model: 'FOSC-450 B6', prefix: 'EKK', serial: 'CS' },
};

export async function seed(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    const [bim] = await trx('org_units').where({ code: 'BIM' }).pluck('id');
    if (!bim) throw new Error('12_network_links: the IT directorate (BIM) is not seeded');

    // The node equipment: inventory numbers NZP.<prefix>.<year>.9<node id>, years and serials from the node's id.
    await trx.raw(
      `INSERT INTO assets (inventory_no, serial_no, type, make, model, owner_org_unit_id, site, purchased_on, warranty_ends_on, ip_address, state, notes, geom)
       SELECT format('NZP.%s.%s.%s', e.prefix, y.year, 9000 + n.id), e.serial || lpad((n.id * 7919 % 100000000)::text, 8, '0'),
              e.type, e.make, e.model, ?, n.name, make_date(y.year, 1 + n.id % 12, 1 + n.id % 28),
              make_date(y.year + CASE WHEN e.type = 'SWITCH' THEN 3 ELSE 2 END, 1 + n.id % 12, 1 + n.id % 28),
              CASE WHEN e.type = 'SWITCH' THEN ('10.250.0.' || n.id)::inet END, 'IN_USE',
              'Şebeke düğümü ' || n.code, n.geom
       FROM network_nodes n
       JOIN json_to_recordset(?::json) AS e(kind text, type text, make text, model text, prefix text, serial text) ON e.kind = n.kind
       CROSS JOIN LATERAL (SELECT 2018 + n.id % 7 AS year) y
       WHERE n.status IN ('ACTIVE', 'OFFLINE') AND n.asset_id IS NULL
       ORDER BY n.id
       ON CONFLICT DO NOTHING`,
      [bim, JSON.stringify(Object.entries(EQUIPMENT).map(([kind, e]) => ({ kind, ...e })))],
    );
    await trx.raw(
      `UPDATE network_nodes n SET asset_id = a.id
       FROM assets a
       WHERE n.asset_id IS NULL AND a.inventory_no LIKE 'NZP.%.%.' || (9000 + n.id) AND a.notes = 'Şebeke düğümü ' || n.code`,
    );
    // The central data room: its first core switch.
    await trx.raw(
      `UPDATE network_nodes n SET asset_id = (
         SELECT a.id FROM assets a
         WHERE a.type = 'SWITCH' AND a.owner_org_unit_id = ? AND a.ip_address IS NOT NULL AND host(a.ip_address) = '10.0.10.2'
           AND NOT EXISTS (SELECT 1 FROM network_nodes o WHERE o.asset_id = a.id)
         ORDER BY a.id LIMIT 1)
       WHERE n.kind = 'CENTRAL_DATA_ROOM' AND n.asset_id IS NULL`,
      [bim],
    );

    // Leased circuits in service.
    await trx.raw(
      `INSERT INTO assets (inventory_no, serial_no, type, make, model, owner_org_unit_id, site, purchased_on, warranty_ends_on, state, notes, geom)
       SELECT format('NZP.KDH.%s.%s', y.year, 9000 + l.id), l.circuit_id, 'LEASED_LINE', l.provider,
              format('%s %s Mbps', CASE l.medium WHEN 'FIBER' THEN 'Metro Ethernet' WHEN 'MPLS' THEN 'MPLS VPN' WHEN 'XDSL' THEN 'VDSL'
                                                 WHEN 'LTE' THEN 'LTE APN' ELSE l.medium::text END, l.capacity_mbps),
              ?, l.name, make_date(y.year, 1 + l.id % 12, 1 + l.id % 28), make_date(y.year + 2, 1 + l.id % 12, 1 + l.id % 28),
              'IN_USE', 'Kiralık devre ' || l.code, ST_StartPoint(l.geom)
       FROM network_lines l
       CROSS JOIN LATERAL (SELECT 2019 + l.id % 6 AS year) y
       WHERE l.provider <> 'Belediye' AND l.circuit_id IS NOT NULL AND l.status IN ('ACTIVE', 'OFFLINE') AND l.asset_id IS NULL
       ORDER BY l.id
       ON CONFLICT DO NOTHING`,
      [bim],
    );
    await trx.raw(
      `UPDATE network_lines l SET asset_id = a.id
       FROM assets a
       WHERE l.asset_id IS NULL AND a.type = 'LEASED_LINE' AND a.notes = 'Kiralık devre ' || l.code`,
    );

    // What serves each camera.
    await trx.raw(
      `UPDATE cameras c SET served_by_remote_unit_id = a.remote_unit_id
       FROM assets a
       WHERE a.camera_id = c.id AND a.remote_unit_id IS NOT NULL
         AND c.served_by_remote_unit_id IS NULL AND c.served_by_node_id IS NULL`,
    );
    await trx.raw(
      `UPDATE cameras c SET served_by_node_id = s.node_id, served_by_remote_unit_id = s.unit_id
       FROM (
         SELECT c.id, near.node_id, near.unit_id
         FROM cameras c
         CROSS JOIN LATERAL (
           SELECT * FROM (
             SELECT n.id AS node_id, NULL::int AS unit_id, ST_Distance(n.geom::geography, c.geom::geography) AS d
             FROM network_nodes n WHERE n.kind IN ('CABINET', 'SWITCH') AND n.status IN ('ACTIVE', 'OFFLINE')
             UNION ALL
             SELECT NULL, r.id, ST_Distance(r.geom::geography, c.geom::geography) FROM remote_units r
           ) o ORDER BY d, node_id, unit_id LIMIT 1) near
         WHERE c.served_by_node_id IS NULL AND c.served_by_remote_unit_id IS NULL
       ) s
       WHERE s.id = c.id`,
    );
  });
}

import type { Knex } from 'knex';
import { whereInUnitTree } from '../org-units';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { foldedContainsAny } from '../../db/text-search';
import { LayerRepository, layerReferenced, type Filters, type LayerDefinition } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { VENDOR_REFERENCED } from './vendor.repository';
import { AssetGrouping, AssetState, type Asset, type AssetFilter } from './asset.type';

export const ASSET_TABLE = 'assets';


export const assetLayer = (db: Knex): LayerDefinition<AssetFilter & { ownerOrgUnit?: number; remoteUnit?: number }> => ({
  resource: Resource.ASSETS,
  table: ASSET_TABLE,
  geometryType: 'POINT',
  columns: {
    inventoryNo: 'inventory_no',
    serialNo: 'serial_no',
    type: 'type',
    make: 'make',
    model: 'model',
    state: 'state',
    site: 'site',
    purchasedOn: 'purchased_on',
    warrantyEndsOn: 'warranty_ends_on',
    ipAddress: 'ip_address',
    macAddress: 'mac_address',
    notes: 'notes',
    remoteUnitId: 'remote_unit_id',
    cameraId: 'camera_id',
    vendorId: 'vendor_id',
  },
  references: {
    remoteUnitId: layerReferenced(Resource.REMOTE_UNITS, 'remote_units', 'code'),
    cameraId: layerReferenced(Resource.CAMERAS, 'cameras', 'code'),
    vendorId: VENDOR_REFERENCED,
  },
  applyFilter(qb, f, col) {
    if (f.inventoryNo != null) qb.where(col('inventory_no'), f.inventoryNo);
    if (f.serialNo != null) qb.where(col('serial_no'), f.serialNo);
    if (f.type?.length) qb.whereIn(col('type'), f.type);
    // Disposed assets have left the active inventory: listed only when asked for by state.
    if (f.state?.length) qb.whereIn(col('state'), f.state);
    else qb.whereNot(col('state'), AssetState.DISPOSED);
    if (f.ownerOrgUnit != null) whereInUnitTree(qb, col('owner_org_unit_id'), f.ownerOrgUnit);
    if (f.remoteUnit != null) qb.where(col('remote_unit_id'), f.remoteUnit);
    if (f.warrantyEndsBefore != null) qb.where(col('warranty_ends_on'), '<', f.warrantyEndsBefore);
    if (f.search) qb.where(foldedContainsAny(db, [col('make'), col('model'), col('inventory_no'), col('serial_no')], f.search));
  },
});

export type AssetQueryFilter = AssetFilter & { ownerOrgUnit?: number; remoteUnit?: number };

/** Assets: the shared layer SQL (scope, filters, nearest, pages), plus lookups and counts by group. */
export class AssetRepository extends LayerRepository<Asset, AssetQueryFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, assetLayer(db as Knex), access);
  }

  /** Assets whose inventory or serial number is exactly this (at most one of each). */
  async byNumber(number: string): Promise<Asset[]> {
    return (await this.scoped()
      .select(this.selectList())
      .where((w) => w.where(this.col('inventory_no'), number).orWhere(this.col('serial_no'), number))
      .orderBy(this.col('id'))) as Asset[];
  }

  /** How many assets that pass the filters fall in each group, largest first. */
  async counts(by: AssetGrouping, q: Filters<AssetQueryFilter>): Promise<{ key: string; count: number }[]> {
    const qb = this.filtered(q);
    if (by === AssetGrouping.STATE || by === AssetGrouping.TYPE) {
      const column = this.col(by === AssetGrouping.STATE ? 'state' : 'type');
      qb.select(this.db.raw('?? AS key', [column])).count({ count: '*' }).groupBy(column);
    } else if (by === AssetGrouping.OWNER) {
      qb.join('org_units as o', 'o.id', this.col('owner_org_unit_id')).select('o.code as key').count({ count: '*' }).groupBy('o.code');
    } else {
      // Only neighbourhoods the request may read; an asset outside all of them is in none.
      const scope = this.access.condition(this.db as Knex, Resource.NEIGHBOURHOODS, Action.READ, layerTarget('n'));
      qb.join(`${NEIGHBOURHOOD_TABLE} as n`, (j) => {
        j.on(this.db.raw('ST_Intersects(n.geom, ??)', [this.geom]));
        if (scope) j.andOn(scope);
      })
        .select(this.db.raw('n.id::text AS key'))
        .count({ count: '*' })
        .groupBy('n.id');
    }
    const rows = (await qb.orderBy([{ column: 'count', order: 'desc' }, { column: 'key' }])) as { key: string; count: number }[];
    return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
  }
}

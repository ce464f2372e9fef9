import type { Knex } from 'knex';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContains, foldedEquals } from '../../db/text-search';
import type { RemoteUnit, RemoteUnitFilter } from './remote-unit.type';

export const REMOTE_UNIT_TABLE = 'remote_units';

export const remoteUnitLayer = (db: Knex): LayerDefinition<RemoteUnitFilter> => ({
  table: REMOTE_UNIT_TABLE,
  geometryType: 'POINT',
  columns: {
    code: 'code',
    name: 'name',
    status: 'status',
    orgUnitId: 'org_unit_id',
    addressMahalle: 'address_mahalle',
    addressStreet: 'address_street',
    addressDoorNo: 'address_door_no',
    isp: 'isp',
    internetLine: 'internet_line',
    bandwidthMbps: 'bandwidth_mbps',
    version: 'version',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  applyFilter(qb, f, col) {
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.orgUnit != null) {
      qb.whereIn(col('org_unit_id'), db('org_units').select('id').where(foldedEquals(db, 'code', f.orgUnit)));
    }
    if (f.isp != null) qb.where(foldedEquals(db, col('isp'), f.isp));
    if (f.search) {
      const text = f.search;
      qb.where((w) =>
        w
          .where(foldedContains(db, col('name'), text))
          .orWhere(foldedContains(db, col('code'), text))
          .orWhere(foldedContains(db, col('address_mahalle'), text))
          .orWhere(foldedContains(db, col('address_street'), text)),
      );
    }
  },
});

export class RemoteUnitRepository extends LayerRepository<RemoteUnit, RemoteUnitFilter> {
  constructor(db: Knex) {
    super(db, remoteUnitLayer(db));
  }
}

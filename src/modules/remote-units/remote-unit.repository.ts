import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
import type { RemoteUnit, RemoteUnitFilter } from './remote-unit.type';

export const REMOTE_UNIT_TABLE = 'remote_units';

export const remoteUnitLayer = (db: Knex): LayerDefinition<RemoteUnitFilter> => ({
  resource: Resource.REMOTE_UNITS,
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
  },
  applyFilter(qb, f, col) {
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.orgUnit != null) {
      qb.whereIn(col('org_unit_id'), db('org_units').select('id').where(foldedEquals(db, 'code', f.orgUnit)));
    }
    if (f.isp != null) qb.where(foldedEquals(db, col('isp'), f.isp));
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code'), col('address_mahalle'), col('address_street')], f.search));
  },
});

export class RemoteUnitRepository extends LayerRepository<RemoteUnit, RemoteUnitFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, remoteUnitLayer(db as Knex), access);
  }
}

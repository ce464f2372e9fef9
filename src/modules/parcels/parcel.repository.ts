import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { foldedEquals } from '../../db/text-search';
import type { Parcel, ParcelFilter } from './parcel.type';

const AREA = 'ST_Area(parcels.geom::geography)';
const DIFFERENCE = `(${AREA} - parcels.registered_area_m2)`;

export const parcelLayer = (db: Knex): LayerDefinition<ParcelFilter> => ({
  resource: Resource.PARCELS,
  table: 'parcels',
  geometryType: 'MULTIPOLYGON',
  columns: {
    province: 'province',
    district: 'district',
    mahalle: 'mahalle',
    ada: 'ada',
    parsel: 'parsel',
    registeredAreaSquareMeters: 'registered_area_m2',
    nitelik: 'nitelik',
    pafta: 'pafta',
    source: 'source',
    importedAt: 'imported_at',
  },
  computed: {
    areaSquareMeters: AREA,
    areaDifferenceSquareMeters: DIFFERENCE,
    areaDifferenceRatio: `${DIFFERENCE} / NULLIF(parcels.registered_area_m2, 0)`,
  },
  applyFilter(qb, f, col) {
    if (f.mahalle != null) qb.where(foldedEquals(db, col('mahalle'), f.mahalle));
    if (f.ada != null) qb.where(col('ada'), f.ada);
    if (f.parsel != null) qb.where(col('parsel'), f.parsel);
    if (f.nitelik?.length) {
      const values = f.nitelik;
      qb.where((w) => {
        for (const v of values) w.orWhere(foldedEquals(db, col('nitelik'), v));
      });
    }
    if (f.minAreaSquareMeters != null) qb.whereRaw(`${AREA} >= ?`, [f.minAreaSquareMeters]);
    if (f.maxAreaSquareMeters != null) qb.whereRaw(`${AREA} <= ?`, [f.maxAreaSquareMeters]);
    if (f.minAreaDifferenceRatio != null) {
      qb.whereRaw(`abs(${DIFFERENCE}) >= ? * parcels.registered_area_m2`, [f.minAreaDifferenceRatio]);
    }
  },
});

export class ParcelRepository extends LayerRepository<Parcel, ParcelFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, parcelLayer(db as Knex), access);
  }

  /** Parcels with this mahalle (matched the Turkish way), ada and parsel; at most `limit`. */
  async byNumber(
    key: { mahalle: string; ada: number; parsel: number; district?: string | null; province?: string | null },
    limit: number,
  ): Promise<Parcel[]> {
    const qb = this.scoped()
      .select(this.selectList())
      .where(foldedEquals(this.db, 'parcels.mahalle', key.mahalle))
      .where({ 'parcels.ada': key.ada, 'parcels.parsel': key.parsel })
      .orderBy('parcels.id')
      .limit(limit);
    if (key.district != null) qb.where(foldedEquals(this.db, 'parcels.district', key.district));
    if (key.province != null) qb.where(foldedEquals(this.db, 'parcels.province', key.province));
    return (await qb) as Parcel[];
  }

  /** The parcel that contains a point (EPSG:4326 hex EWKB); on a shared boundary, the lowest id. */
  async at(pointEwkb: string): Promise<Parcel | undefined> {
    return (await this.scoped()
      .select(this.selectList())
      .whereRaw('ST_Intersects(parcels.geom, ?::geometry)', [pointEwkb])
      .orderBy('parcels.id')
      .first()) as Parcel | undefined;
  }
}

/**
 * Input constants for the sample land-registry parcels (tapu parselleri) of Nizip: the size of the
 * cadastral blocks, the widths of the roads left between them, how the blocks are cut into parcels
 * and what the parcels are registered as. The geometry itself is computed by PostGIS in the seed.
 */

/** Metric CRS the blocks are laid out in: TUREF / TM39 (EPSG:5257), the zone Nizip is in. */
export const METRIC_SRID = 5257;

/** Side (m) of the square grid cells that make the cadastral blocks (ada). */
export const BLOCK_SIZE_M = 140;

/** Each block is shrunk this much (m) on every side: the roads between blocks are twice as wide. */
export const BLOCK_ROAD_HALF_WIDTH_M = 4;

/** Corridor kept free on each side of the streets of ./nizip (m): main roads, other streets. */
export const STREET_HALF_WIDTH_M = { main: 12, other: 8 } as const;

/** Pieces of a block smaller than this (m²) are left as road verges, not registered. */
export const MIN_ADA_AREA_M2 = 300;

/** Parcels smaller than this (m²) are slivers and are dropped. */
export const MIN_PARCEL_AREA_M2 = 80;

/** Distance rings (m) around the town centre (Cumhuriyet Meydanı): built-up core, middle ring, edge. */
export const CENTRE_SQUARE = 'Cumhuriyet Meydanı';
export const CORE_RADIUS_M = 900;
export const MIDDLE_RADIUS_M = 1800;

export type Zone = 'core' | 'middle' | 'edge';

/**
 * How blocks are cut in each zone: into 1 row (strips through the whole block) or 2 rows (back to
 * back), each of between `minStrips` and `maxStrips` strips. Small blocks get fewer.
 */
export const LAYOUT: Readonly<Record<Zone, { minRows: number; maxRows: number; minStrips: number; maxStrips: number }>> = {
  core: { minRows: 2, maxRows: 2, minStrips: 3, maxStrips: 6 },
  middle: { minRows: 2, maxRows: 2, minStrips: 2, maxStrips: 5 },
  edge: { minRows: 1, maxRows: 2, minStrips: 1, maxStrips: 3 },
};

/** A block piece gets at most one parcel per this many m² (so that small pieces are not cut to slivers). */
export const MIN_AREA_PER_PARCEL_M2 = 300;
/** Pieces smaller than this (m²) are cut in one row only. */
export const MIN_TWO_ROW_AREA_M2 = 1500;

/** Share of the blocks (away from the edge) that are a school or a park: one parcel for the whole ada. */
export const SCHOOL_SHARE = 0.015;
export const PARK_SHARE = 0.015;
/** Blocks smaller than this (m²) are never a school or a park. */
export const MIN_PUBLIC_ADA_M2 = 4000;

/** Share of the parcels in the core and middle ring that are a mosque (cami). */
export const MOSQUE_SHARE = 0.01;

/** Registered type (nitelik) of the other parcels, by zone, with weights. */
export const NITELIK: Readonly<Record<Zone, ReadonlyArray<readonly [string, number]>>> = {
  core: [
    ['Kargir Ev', 35],
    ['Mesken', 20],
    ['Arsa', 20],
    ['Dükkan', 18],
    ['Avlulu Kargir Ev', 7],
  ],
  middle: [
    ['Arsa', 35],
    ['Kargir Ev', 25],
    ['Avlulu Kargir Ev', 20],
    ['Mesken', 12],
    ['Bahçe', 8],
  ],
  edge: [
    ['Tarla', 35],
    ['Bahçe', 25],
    ['Bağ', 20],
    ['Arsa', 14],
    ['Avlulu Kargir Ev', 6],
  ],
};

/** Share of the parcels whose title deed disagrees with the geometry, and by how much (fraction). */
export const DISAGREEING_SHARE = 0.03;
export const DISAGREEMENT = { min: 0.05, max: 0.3 } as const;

/**
 * Map sheets (pafta): a 1:100 000 sheet named PREFIX covering SIZE degrees from its north-west
 * corner, in quarters a-d, each in 5 x 5 numbered sheets (01-25), each in quarters a-d:
 * "N40-a-22-d".
 */
export const PAFTA = { prefix: 'N40', west: 37.75, north: 37.125, size: 0.25 } as const;

export const SOURCE = 'TKGM (örnek veri)';
export const IMPORTED_AT = '2025-06-30T09:00:00+03:00';

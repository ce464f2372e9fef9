/**
 * Input data for the Nizip sample seeds: a plausible (not surveyed) picture of the town of Nizip,
 * Gaziantep, around 37.795 E, 37.010 N. Coordinates are [longitude, latitude] in EPSG:4326.
 *
 * This file only holds coordinates and names. Every geometry derived from them (neighbourhood
 * cells, camera positions) is computed by PostGIS in the seeds.
 */

/** [longitude, latitude] in EPSG:4326. */
export type LonLat = readonly [number, number];

export const DISTRICT = 'Nizip';
export const PROVINCE = 'Gaziantep';

/**
 * Outline of the built-up area of Nizip, counter-clockwise from the western tip where the road from
 * Gaziantep comes in. The north side follows the Nizip river (Nizip Çayı); the notch in the south is
 * the open ground beside the railway. Closed: the last vertex repeats the first.
 */
export const TOWN_OUTLINE: readonly LonLat[] = [
  [37.766, 37.008],
  [37.7685, 37.001],
  [37.774, 36.995],
  [37.782, 36.9925],
  [37.786, 36.9945],
  [37.789, 36.9905],
  [37.795, 36.989],
  [37.801, 36.9905],
  [37.8085, 36.993],
  [37.815, 36.9965],
  [37.8205, 37.001],
  [37.8245, 37.0065],
  [37.823, 37.013],
  [37.819, 37.019],
  [37.8135, 37.024],
  [37.8065, 37.0275],
  [37.799, 37.0295],
  [37.791, 37.03],
  [37.7835, 37.0285],
  [37.7765, 37.025],
  [37.771, 37.02],
  [37.7675, 37.014],
  [37.766, 37.008],
];

export interface Street {
  name: string;
  /** Main roads: some of their cameras watch the traffic. */
  main: boolean;
  /** How many cameras the sample puts along the street. */
  cameras: number;
  /** Polyline, 3 to 8 vertices, all well inside the town outline. */
  path: readonly LonLat[];
}

/** The street network: boulevards through the centre, a southern ring road, the roads out of town. */
export const STREETS: readonly Street[] = [
  {
    name: 'Atatürk Bulvarı',
    main: true,
    cameras: 20,
    path: [
      [37.78, 37.0088],
      [37.785, 37.0094],
      [37.79, 37.0098],
      [37.795, 37.01],
      [37.8, 37.0099],
      [37.805, 37.0096],
      [37.81, 37.0091],
    ],
  },
  {
    name: 'Gaziantep Yolu',
    main: true,
    cameras: 8,
    path: [
      [37.7685, 37.0075],
      [37.772, 37.0079],
      [37.776, 37.0083],
      [37.78, 37.0088],
    ],
  },
  {
    name: 'Birecik Yolu',
    main: true,
    cameras: 8,
    path: [
      [37.81, 37.0091],
      [37.815, 37.0084],
      [37.819, 37.0076],
      [37.8225, 37.0066],
    ],
  },
  {
    name: 'Karkamış Yolu',
    main: true,
    cameras: 8,
    path: [
      [37.795, 36.992],
      [37.7952, 36.9958],
      [37.7955, 37.0],
      [37.7953, 37.004],
    ],
  },
  {
    name: 'Cumhuriyet Caddesi',
    main: true,
    cameras: 14,
    path: [
      [37.7953, 37.004],
      [37.7951, 37.007],
      [37.795, 37.01],
      [37.7948, 37.0135],
      [37.7945, 37.017],
      [37.794, 37.021],
      [37.7938, 37.0263],
    ],
  },
  {
    name: 'Fırat Caddesi',
    main: false,
    cameras: 16,
    path: [
      [37.776, 37.023],
      [37.7825, 37.0253],
      [37.79, 37.0265],
      [37.797, 37.0262],
      [37.805, 37.0245],
      [37.812, 37.0215],
      [37.8175, 37.017],
    ],
  },
  {
    name: 'Hükümet Caddesi',
    main: false,
    cameras: 8,
    path: [
      [37.788, 37.0135],
      [37.792, 37.0136],
      [37.7948, 37.0135],
      [37.799, 37.0138],
      [37.803, 37.0142],
    ],
  },
  {
    name: 'İstasyon Caddesi',
    main: false,
    cameras: 10,
    path: [
      [37.79, 37.0098],
      [37.788, 37.006],
      [37.785, 37.002],
      [37.782, 36.9985],
      [37.78, 36.996],
    ],
  },
  {
    name: 'Çevre Yolu',
    main: true,
    cameras: 16,
    path: [
      [37.772, 37.003],
      [37.778, 36.999],
      [37.785, 36.9968],
      [37.792, 36.9955],
      [37.799, 36.9955],
      [37.806, 36.9968],
      [37.813, 36.9995],
      [37.8185, 37.004],
    ],
  },
  {
    name: 'İnönü Caddesi',
    main: false,
    cameras: 12,
    path: [
      [37.779, 37.0],
      [37.78, 37.0045],
      [37.7805, 37.0088],
      [37.7808, 37.013],
      [37.7812, 37.0175],
      [37.7825, 37.0253],
    ],
  },
  {
    name: 'Gazi Caddesi',
    main: false,
    cameras: 12,
    path: [
      [37.81, 36.9985],
      [37.8098, 37.004],
      [37.81, 37.0091],
      [37.8095, 37.014],
      [37.809, 37.019],
      [37.8085, 37.023],
    ],
  },
  {
    name: 'Kurtuluş Caddesi',
    main: false,
    cameras: 8,
    path: [
      [37.795, 37.01],
      [37.8, 37.013],
      [37.805, 37.0165],
      [37.809, 37.019],
    ],
  },
  {
    name: 'Barış Caddesi',
    main: false,
    cameras: 8,
    path: [
      [37.795, 37.01],
      [37.79, 37.014],
      [37.786, 37.018],
      [37.7812, 37.021],
    ],
  },
  {
    name: 'Zübeyde Hanım Caddesi',
    main: false,
    cameras: 10,
    path: [
      [37.78, 37.0045],
      [37.787, 37.0043],
      [37.7953, 37.004],
      [37.803, 37.004],
      [37.8098, 37.004],
    ],
  },
  {
    name: 'Şehitler Caddesi',
    main: false,
    cameras: 10,
    path: [
      [37.7812, 37.0175],
      [37.788, 37.0178],
      [37.7945, 37.017],
      [37.801, 37.0182],
      [37.809, 37.019],
    ],
  },
  {
    name: 'Adnan Menderes Bulvarı',
    main: false,
    cameras: 8,
    path: [
      [37.8, 37.0099],
      [37.803, 37.006],
      [37.806, 37.002],
      [37.808, 36.9975],
    ],
  },
];

export interface Square {
  name: string;
  /** A junction (kavşak) rather than a square (meydan): its cameras watch the traffic. */
  junction: boolean;
  /** How many cameras stand around it. */
  cameras: number;
  at: LonLat;
}

/** Squares and busy junctions, each watched by a few cameras. */
export const SQUARES: readonly Square[] = [
  { name: 'Cumhuriyet Meydanı', junction: false, cameras: 5, at: [37.795, 37.01] },
  { name: 'Belediye Meydanı', junction: false, cameras: 4, at: [37.7948, 37.0135] },
  { name: 'Fırat Parkı Meydanı', junction: false, cameras: 3, at: [37.7938, 37.0263] },
  { name: 'İstasyon Meydanı', junction: false, cameras: 3, at: [37.78, 36.996] },
  { name: 'Otogar Kavşağı', junction: true, cameras: 4, at: [37.815, 37.0084] },
  { name: 'Gaziantep Kavşağı', junction: true, cameras: 3, at: [37.776, 37.0083] },
  { name: 'Karkamış Kavşağı', junction: true, cameras: 3, at: [37.7952, 36.9958] },
  { name: 'Hastane Kavşağı', junction: true, cameras: 3, at: [37.8098, 37.004] },
];

export interface NeighbourhoodSeed {
  name: string;
  /** Generator point of the neighbourhood's Voronoi cell; inside the town outline. */
  seed: LonLat;
}

/**
 * The mahalleler of the sample, each with the generator point of its cell, roughly in rows from
 * the river in the north to the railway in the south.
 */
export const NEIGHBOURHOODS: readonly NeighbourhoodSeed[] = [
  // Along the river
  { name: 'Sakarya', seed: [37.7785, 37.0232] },
  { name: 'Köprübaşı', seed: [37.789, 37.0262] },
  { name: 'Kıbrıs', seed: [37.8, 37.0268] },
  { name: 'Karşıyaka', seed: [37.8105, 37.0228] },
  // North
  { name: 'Zeytinli', seed: [37.7738, 37.0185] },
  { name: 'Hürriyet', seed: [37.7842, 37.0197] },
  { name: 'İstiklal', seed: [37.7935, 37.019] },
  { name: 'Mimar Sinan', seed: [37.8035, 37.02] },
  { name: 'Bahçelievler', seed: [37.8148, 37.0182] },
  // Centre
  { name: 'Alahan', seed: [37.7702, 37.0128] },
  { name: 'Fevzi Çakmak', seed: [37.779, 37.014] },
  { name: 'Saray', seed: [37.7878, 37.0122] },
  { name: 'Cumhuriyet', seed: [37.7968, 37.0135] },
  { name: 'Yeni', seed: [37.8058, 37.0128] },
  { name: 'Mehmet Akif Ersoy', seed: [37.8142, 37.012] },
  { name: 'Turgut Özal', seed: [37.8208, 37.0112] },
  // South of the boulevard
  { name: 'Akdere', seed: [37.7712, 37.0055] },
  { name: 'Şahinbey', seed: [37.7815, 37.0068] },
  { name: 'Kocatepe', seed: [37.7905, 37.0062] },
  { name: 'Yunus Emre', seed: [37.7998, 37.007] },
  { name: 'Gazi Osman Paşa', seed: [37.8088, 37.0058] },
  { name: 'Yavuz Selim', seed: [37.818, 37.005] },
  // Railway side
  { name: 'İstasyon', seed: [37.7775, 36.9985] },
  { name: 'Tepebaşı', seed: [37.788, 36.9962] },
  { name: 'Selahattin Eyyubi', seed: [37.7972, 36.9945] },
  { name: '75. Yıl', seed: [37.8062, 36.9972] },
  { name: 'Mevlana', seed: [37.814, 36.9992] },
];

/** Well-known text of a polygon ring or a polyline, for ST_GeomFromText. */
export function polygonWkt(ring: readonly LonLat[]): string {
  return `POLYGON((${ring.map(([lon, lat]) => `${lon} ${lat}`).join(', ')}))`;
}

export function lineWkt(path: readonly LonLat[]): string {
  return `LINESTRING(${path.map(([lon, lat]) => `${lon} ${lat}`).join(', ')})`;
}

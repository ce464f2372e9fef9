/**
 * Input data for the sample network of Nizip Belediyesi: the remote units (uzak birimler), the
 * network nodes and the backbone routes between them. Only names, codes, street names and
 * positions along the streets of `./nizip`; PostGIS computes every geometry in the seeds.
 */

/** The square the central data room (NN-000) stands on; remote units keep away from it. */
export const CENTRAL_SQUARE = 'Belediye Meydanı';

/** Remote units stay at least this far (geodesic metres) from the central data room. */
export const MIN_DISTANCE_FROM_CENTRE_M = 320;

/** Extra lines a remote unit has besides its access line from the nearest cabinet on its street. */
export type Backup = 'WIRED' | 'LTE' | 'RADIO_LINK';

export interface RemoteUnitSeed {
  /** Name; with `withMahalle` the seed adds the neighbourhood it lands in: "Kreş (Yeni)". */
  name: string;
  withMahalle: boolean;
  /** Code of the directorate in org_units. */
  org: string;
  /** Name of the street (STREETS in ./nizip) the unit stands beside: its address and its access route. */
  street: string;
  /** Stretch of the street (fractions of its length) where the seed may place it. */
  from: number;
  to: number;
  /**
   * WIRED: a second access line from the nearest cabinet on the other side along the street;
   * LTE: a mobile backup straight to the central data room; RADIO_LINK: from the nearest radio switch.
   */
  backups: readonly Backup[];
}

/** The remote units, UB-01, UB-02, ... in this order. */
export const REMOTE_UNITS: readonly RemoteUnitSeed[] = [
  { name: 'Zabıta Karakolu', withMahalle: true, org: 'ZAB', street: 'İstasyon Caddesi', from: 0.62, to: 0.8, backups: ['LTE'] },
  { name: 'Zabıta Karakolu', withMahalle: true, org: 'ZAB', street: 'Fırat Caddesi', from: 0.55, to: 0.68, backups: [] },
  { name: 'Zabıta Karakolu', withMahalle: true, org: 'ZAB', street: 'Gazi Caddesi', from: 0.05, to: 0.14, backups: ['LTE'] },
  { name: 'İtfaiye Grup Amirliği', withMahalle: true, org: 'ITF', street: 'Gaziantep Yolu', from: 0.45, to: 0.6, backups: ['WIRED', 'RADIO_LINK'] },
  { name: 'İtfaiye Grup Amirliği', withMahalle: true, org: 'ITF', street: 'Gazi Caddesi', from: 0.84, to: 0.94, backups: ['WIRED', 'RADIO_LINK'] },
  { name: 'Fen İşleri Şantiyesi', withMahalle: false, org: 'FEN', street: 'Çevre Yolu', from: 0.03, to: 0.09, backups: ['RADIO_LINK'] },
  { name: 'Park ve Bahçeler Deposu', withMahalle: false, org: 'PARK', street: 'Çevre Yolu', from: 0.52, to: 0.58, backups: [] },
  { name: 'Belediye Fidanlığı', withMahalle: false, org: 'PARK', street: 'Fırat Caddesi', from: 0.04, to: 0.12, backups: [] },
  { name: 'Kültür Merkezi', withMahalle: true, org: 'KULT', street: 'Kurtuluş Caddesi', from: 0.62, to: 0.78, backups: ['WIRED'] },
  { name: 'Nikah Salonu', withMahalle: false, org: 'YAZI', street: 'Atatürk Bulvarı', from: 0.2, to: 0.3, backups: [] },
  { name: 'Hal Müdürlüğü', withMahalle: false, org: 'ZAB', street: 'Birecik Yolu', from: 0.7, to: 0.85, backups: ['LTE'] },
  { name: 'Mezbaha', withMahalle: false, org: 'VET', street: 'Karkamış Yolu', from: 0.06, to: 0.18, backups: ['LTE'] },
  { name: 'Hayvan Barınağı', withMahalle: false, org: 'VET', street: 'Gaziantep Yolu', from: 0.08, to: 0.2, backups: [] },
  { name: 'Otogar Bilgi Noktası', withMahalle: false, org: 'ULAS', street: 'Birecik Yolu', from: 0.4, to: 0.5, backups: [] },
  { name: 'Semt Pazarı Hizmet Noktası', withMahalle: true, org: 'ZAB', street: 'Zübeyde Hanım Caddesi', from: 0.22, to: 0.32, backups: [] },
  { name: 'Semt Pazarı Hizmet Noktası', withMahalle: true, org: 'ZAB', street: 'Şehitler Caddesi', from: 0.74, to: 0.88, backups: [] },
  { name: 'Aşevi', withMahalle: false, org: 'SOS', street: 'İnönü Caddesi', from: 0.05, to: 0.12, backups: [] },
  { name: 'Gençlik Merkezi', withMahalle: true, org: 'GENC', street: 'Şehitler Caddesi', from: 0.12, to: 0.22, backups: [] },
  { name: 'Kadın Emeği Evi', withMahalle: true, org: 'KADIN', street: 'Adnan Menderes Bulvarı', from: 0.45, to: 0.62, backups: [] },
  { name: 'Spor Salonu', withMahalle: true, org: 'GENC', street: 'Çevre Yolu', from: 0.86, to: 0.94, backups: [] },
  { name: 'Spor Salonu', withMahalle: true, org: 'GENC', street: 'Barış Caddesi', from: 0.4, to: 0.55, backups: [] },
  { name: 'Kreş', withMahalle: true, org: 'KADIN', street: 'Hükümet Caddesi', from: 0.86, to: 0.96, backups: [] },
  { name: 'Kreş', withMahalle: true, org: 'KADIN', street: 'İnönü Caddesi', from: 0.53, to: 0.6, backups: [] },
  { name: 'Kütüphane', withMahalle: true, org: 'KULT', street: 'Cumhuriyet Caddesi', from: 0.66, to: 0.76, backups: [] },
  { name: 'Kütüphane', withMahalle: true, org: 'KULT', street: 'Zübeyde Hanım Caddesi', from: 0.58, to: 0.68, backups: [] },
  { name: 'Sosyal Yardım Başvuru Noktası', withMahalle: true, org: 'SOS', street: 'Karkamış Yolu', from: 0.6, to: 0.8, backups: [] },
  { name: 'Engelli Danışma Merkezi', withMahalle: true, org: 'SOS', street: 'Gazi Caddesi', from: 0.5, to: 0.62, backups: [] },
  { name: 'Makine İkmal Atölyesi', withMahalle: false, org: 'FEN', street: 'Gaziantep Yolu', from: 0.75, to: 0.88, backups: [] },
  { name: 'Temizlik İşleri Garajı', withMahalle: false, org: 'TEM', street: 'Çevre Yolu', from: 0.2, to: 0.26, backups: ['RADIO_LINK'] },
  { name: 'Geri Dönüşüm Toplama Merkezi', withMahalle: false, org: 'TEM', street: 'Adnan Menderes Bulvarı', from: 0.82, to: 0.92, backups: [] },
  { name: 'Beyaz Masa Şubesi', withMahalle: true, org: 'BIM', street: 'İstasyon Caddesi', from: 0.2, to: 0.34, backups: [] },
  { name: 'Kent Ormanı Bakım Noktası', withMahalle: false, org: 'PARK', street: 'Fırat Caddesi', from: 0.9, to: 0.96, backups: ['RADIO_LINK'] },
  { name: 'Toplu Konut Şantiye Ofisi', withMahalle: false, org: 'EMLAK', street: 'Atatürk Bulvarı', from: 0.86, to: 0.94, backups: [] },
  { name: 'Gassalhane ve Cenaze Hizmetleri', withMahalle: false, org: 'MEZ', street: 'Karkamış Yolu', from: 0.36, to: 0.48, backups: ['LTE'] },
];

export type NodeKind = 'CENTRAL_DATA_ROOM' | 'CABINET' | 'SWITCH' | 'SPLICE_POINT';
export type NodeStatus = 'PLANNED' | 'ACTIVE' | 'OFFLINE' | 'DECOMMISSIONED';

export interface NodeSeed {
  code: string;
  /** Short label used in line names: "Merkez", "K03", "S02", "SW01". */
  label: string;
  name: string;
  kind: NodeKind;
  status: NodeStatus;
  /** Either at a square of ./nizip, or on a street: at a vertex of its polyline (0-based) or a fraction of its length. */
  square?: string;
  street?: string;
  vertex?: number;
  fraction?: number;
  /** Moved this far (metres) off the street, to its left (-1) or right (1) looking along it. */
  side?: -1 | 1;
  offset_m?: number;
}

const cabinet = (n: number, name: string, at: Pick<NodeSeed, 'street' | 'vertex' | 'fraction'>, status: NodeStatus = 'ACTIVE'): NodeSeed => ({
  code: `NN-C${String(n).padStart(2, '0')}`,
  label: `K${String(n).padStart(2, '0')}`,
  name,
  kind: 'CABINET',
  status,
  ...at,
});

const splice = (n: number, name: string, street: string, fraction: number): NodeSeed => ({
  code: `NN-S${String(n).padStart(2, '0')}`,
  label: `S${String(n).padStart(2, '0')}`,
  name,
  kind: 'SPLICE_POINT',
  status: 'ACTIVE',
  street,
  fraction,
});

/** Cabinets stand on the streets, most of them at junctions (shared vertices of the polylines). */
export const NETWORK_NODES: readonly NodeSeed[] = [
  { code: 'NN-000', label: 'Merkez', name: 'Belediye Hizmet Binası Sistem Odası', kind: 'CENTRAL_DATA_ROOM', status: 'ACTIVE', square: CENTRAL_SQUARE },
  cabinet(1, 'Cumhuriyet Meydanı Kabini', { street: 'Atatürk Bulvarı', vertex: 3 }),
  cabinet(2, 'Şehitler Kavşağı Kabini', { street: 'Cumhuriyet Caddesi', vertex: 4 }),
  cabinet(3, 'İstasyon Caddesi Kabini', { street: 'Atatürk Bulvarı', vertex: 2 }),
  cabinet(4, 'Adnan Menderes Kavşağı Kabini', { street: 'Atatürk Bulvarı', vertex: 4 }),
  cabinet(5, 'Birecik Kavşağı Kabini', { street: 'Atatürk Bulvarı', vertex: 6 }),
  cabinet(6, 'Gaziantep Kavşağı Kabini', { street: 'Atatürk Bulvarı', vertex: 0 }),
  cabinet(7, 'Zübeyde Hanım Kavşağı Kabini', { street: 'Cumhuriyet Caddesi', vertex: 0 }),
  cabinet(8, 'Hastane Kavşağı Kabini', { street: 'Gazi Caddesi', vertex: 1 }),
  cabinet(9, 'Kurtuluş Kavşağı Kabini', { street: 'Gazi Caddesi', vertex: 4 }),
  cabinet(10, 'İnönü – Zübeyde Hanım Kabini', { street: 'İnönü Caddesi', vertex: 1 }),
  cabinet(11, 'İnönü – Şehitler Kabini', { street: 'İnönü Caddesi', vertex: 4 }),
  cabinet(12, 'Köprübaşı Kabini', { street: 'İnönü Caddesi', vertex: 5 }),
  cabinet(13, 'Fırat Parkı Kabini', { street: 'Cumhuriyet Caddesi', vertex: 6 }),
  cabinet(14, 'Karşıyaka Kabini', { street: 'Fırat Caddesi', vertex: 5 }),
  cabinet(15, 'İstasyon Meydanı Kabini', { street: 'İstasyon Caddesi', vertex: 4 }),
  cabinet(16, 'Karkamış Kavşağı Kabini', { street: 'Karkamış Yolu', vertex: 1 }),
  cabinet(17, 'Çevre Yolu Doğu Kabini', { street: 'Adnan Menderes Bulvarı', vertex: 3 }),
  cabinet(18, 'Otogar Kabini', { street: 'Birecik Yolu', vertex: 1 }),
  cabinet(19, 'Gaziantep Yolu Kabini', { street: 'Gaziantep Yolu', fraction: 0.3 }),
  cabinet(20, 'Çevre Yolu Batı Kabini', { street: 'Çevre Yolu', fraction: 0.12 }),
  cabinet(21, 'Hükümet Caddesi Batı Kabini', { street: 'Hükümet Caddesi', vertex: 0 }, 'PLANNED'),
  cabinet(22, 'Gazi Caddesi Kuzey Kabini', { street: 'Gazi Caddesi', vertex: 5 }),
  cabinet(23, 'Barış Caddesi Kabini', { street: 'Barış Caddesi', fraction: 0.5 }),
  cabinet(24, 'Kurtuluş Caddesi Kabini', { street: 'Kurtuluş Caddesi', fraction: 0.5 }),
  cabinet(25, 'Hükümet Caddesi Doğu Kabini', { street: 'Hükümet Caddesi', fraction: 0.85 }),
  splice(1, 'Cumhuriyet Caddesi Ek Noktası', 'Cumhuriyet Caddesi', 0.82),
  splice(2, 'Atatürk Bulvarı Batı Ek Noktası', 'Atatürk Bulvarı', 0.17),
  splice(3, 'Çevre Yolu Ek Noktası', 'Çevre Yolu', 0.3),
  splice(4, 'Fırat Caddesi Batı Ek Noktası', 'Fırat Caddesi', 0.3),
  splice(5, 'Zübeyde Hanım Caddesi Ek Noktası', 'Zübeyde Hanım Caddesi', 0.75),
  splice(6, 'Şehitler Caddesi Ek Noktası', 'Şehitler Caddesi', 0.25),
  // Radio-link switches on masts a little way off the street (north of Fırat Caddesi, south of the ring road).
  { code: 'NN-SW01', label: 'SW01', name: 'Fırat Parkı Radyolink Anahtarı', kind: 'SWITCH', status: 'ACTIVE', street: 'Fırat Caddesi', fraction: 0.5, side: -1, offset_m: 60 },
  { code: 'NN-SW02', label: 'SW02', name: 'Su Deposu Radyolink Anahtarı', kind: 'SWITCH', status: 'ACTIVE', street: 'Çevre Yolu', fraction: 0.6, side: 1, offset_m: 80 },
];

export interface BackboneSeed {
  /** Codes of the two ends (network nodes). */
  a: string;
  z: string;
  /** The street the fibre follows between them. */
  street: string;
  capacity_mbps: number;
  /** Municipality fibre unless a leased provider line is given. */
  provider?: 'Türk Telekom' | 'Superonline';
  status?: 'PLANNED' | 'OFFLINE';
}

/**
 * Backbone fibre routes, HAT-001 onwards in this order: each between two nodes on the same street.
 * Rings through K01, K02, K05, K07, K09 and K13 give many nodes two ways to the centre.
 */
export const BACKBONE: readonly BackboneSeed[] = [
  { a: 'NN-000', z: 'NN-C01', street: 'Cumhuriyet Caddesi', capacity_mbps: 10000 },
  { a: 'NN-000', z: 'NN-C02', street: 'Cumhuriyet Caddesi', capacity_mbps: 10000 },
  { a: 'NN-000', z: 'NN-C25', street: 'Hükümet Caddesi', capacity_mbps: 1000 },
  { a: 'NN-000', z: 'NN-C21', street: 'Hükümet Caddesi', capacity_mbps: 1000, status: 'PLANNED' },
  { a: 'NN-C01', z: 'NN-C03', street: 'Atatürk Bulvarı', capacity_mbps: 10000 },
  { a: 'NN-C03', z: 'NN-S02', street: 'Atatürk Bulvarı', capacity_mbps: 1000 },
  { a: 'NN-S02', z: 'NN-C06', street: 'Atatürk Bulvarı', capacity_mbps: 1000 },
  { a: 'NN-C01', z: 'NN-C04', street: 'Atatürk Bulvarı', capacity_mbps: 10000 },
  { a: 'NN-C04', z: 'NN-C05', street: 'Atatürk Bulvarı', capacity_mbps: 10000 },
  { a: 'NN-C05', z: 'NN-C18', street: 'Birecik Yolu', capacity_mbps: 1000, provider: 'Türk Telekom' },
  { a: 'NN-C01', z: 'NN-C07', street: 'Cumhuriyet Caddesi', capacity_mbps: 10000 },
  { a: 'NN-C07', z: 'NN-C16', street: 'Karkamış Yolu', capacity_mbps: 1000 },
  { a: 'NN-C07', z: 'NN-S05', street: 'Zübeyde Hanım Caddesi', capacity_mbps: 1000 },
  { a: 'NN-S05', z: 'NN-C08', street: 'Zübeyde Hanım Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C08', z: 'NN-C05', street: 'Gazi Caddesi', capacity_mbps: 1000, status: 'OFFLINE' },
  { a: 'NN-C07', z: 'NN-C10', street: 'Zübeyde Hanım Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C10', z: 'NN-C06', street: 'İnönü Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C06', z: 'NN-C19', street: 'Gaziantep Yolu', capacity_mbps: 1000, provider: 'Türk Telekom' },
  { a: 'NN-C02', z: 'NN-S06', street: 'Şehitler Caddesi', capacity_mbps: 1000 },
  { a: 'NN-S06', z: 'NN-C11', street: 'Şehitler Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C11', z: 'NN-C12', street: 'İnönü Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C12', z: 'NN-S04', street: 'Fırat Caddesi', capacity_mbps: 1000 },
  { a: 'NN-S04', z: 'NN-C13', street: 'Fırat Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C02', z: 'NN-S01', street: 'Cumhuriyet Caddesi', capacity_mbps: 10000 },
  { a: 'NN-S01', z: 'NN-C13', street: 'Cumhuriyet Caddesi', capacity_mbps: 10000 },
  { a: 'NN-C02', z: 'NN-C09', street: 'Şehitler Caddesi', capacity_mbps: 10000 },
  { a: 'NN-C09', z: 'NN-C05', street: 'Gazi Caddesi', capacity_mbps: 10000 },
  { a: 'NN-C09', z: 'NN-C22', street: 'Gazi Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C22', z: 'NN-C14', street: 'Fırat Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C13', z: 'NN-C22', street: 'Fırat Caddesi', capacity_mbps: 1000, status: 'PLANNED' },
  { a: 'NN-C13', z: 'NN-SW01', street: 'Fırat Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C04', z: 'NN-C17', street: 'Adnan Menderes Bulvarı', capacity_mbps: 1000 },
  { a: 'NN-C17', z: 'NN-SW02', street: 'Çevre Yolu', capacity_mbps: 1000 },
  { a: 'NN-SW02', z: 'NN-C16', street: 'Çevre Yolu', capacity_mbps: 1000 },
  { a: 'NN-C16', z: 'NN-S03', street: 'Çevre Yolu', capacity_mbps: 1000 },
  { a: 'NN-S03', z: 'NN-C20', street: 'Çevre Yolu', capacity_mbps: 1000 },
  { a: 'NN-C03', z: 'NN-C15', street: 'İstasyon Caddesi', capacity_mbps: 1000, provider: 'Superonline' },
  { a: 'NN-C01', z: 'NN-C24', street: 'Kurtuluş Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C24', z: 'NN-C09', street: 'Kurtuluş Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C01', z: 'NN-C23', street: 'Barış Caddesi', capacity_mbps: 1000 },
  { a: 'NN-C06', z: 'NN-C11', street: 'İnönü Caddesi', capacity_mbps: 1000 },
];

/** Access lines reach a remote unit from the nearest cabinet within this distance (m) of its street. */
export const CABINET_STREET_TOLERANCE_M = 50;

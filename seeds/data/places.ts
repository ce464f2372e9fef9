/**
 * Where the directorates work: the town hall (its point is the central data room's, NN-000 of
 * ./network), an annex, and buildings of their own beside the streets of ./nizip, placed by PostGIS
 * like the remote units (a fraction along a street, a side, metres off it). How many desks each
 * directorate has decides how much equipment it holds.
 */

export interface Building {
  code: string;
  name: string;
  /** At a network node's point (the town hall is where the central data room is)... */
  node?: string;
  /** ...or beside a street: fraction of its length, side (-1 left, 1 right), metres off the axis. */
  street?: string;
  fraction?: number;
  side?: -1 | 1;
  offsetM?: number;
}

export const BUILDINGS: readonly Building[] = [
  { code: 'HB', name: 'Belediye Hizmet Binası', node: 'NN-000' },
  { code: 'EK', name: 'Belediye Ek Hizmet Binası', street: 'Hükümet Caddesi', fraction: 0.3, side: -1, offsetM: 25 },
  { code: 'FEN', name: 'Fen İşleri Hizmet Binası', street: 'İnönü Caddesi', fraction: 0.3, side: 1, offsetM: 30 },
  { code: 'ZAB', name: 'Zabıta Müdürlüğü Hizmet Binası', street: 'Cumhuriyet Caddesi', fraction: 0.3, side: -1, offsetM: 20 },
  { code: 'ITF', name: 'İtfaiye Merkez İstasyonu', street: 'Atatürk Bulvarı', fraction: 0.45, side: 1, offsetM: 35 },
  { code: 'TEM', name: 'Temizlik İşleri Hizmet Binası', street: 'Zübeyde Hanım Caddesi', fraction: 0.85, side: -1, offsetM: 25 },
  { code: 'PARK', name: 'Park ve Bahçeler Hizmet Binası', street: 'Fırat Caddesi', fraction: 0.35, side: -1, offsetM: 30 },
  { code: 'KULT', name: 'Kültür ve Sosyal İşler Hizmet Binası', street: 'Kurtuluş Caddesi', fraction: 0.3, side: 1, offsetM: 20 },
  { code: 'SOS', name: 'Sosyal Hizmetler Binası', street: 'Barış Caddesi', fraction: 0.2, side: 1, offsetM: 20 },
  { code: 'GENC', name: 'Gençlik ve Spor Hizmet Binası', street: 'Şehitler Caddesi', fraction: 0.5, side: -1, offsetM: 25 },
  { code: 'VET', name: 'Veteriner İşleri Hizmet Binası', street: 'Çevre Yolu', fraction: 0.38, side: -1, offsetM: 30 },
  { code: 'ULAS', name: 'Ulaşım Hizmetleri Binası', street: 'Birecik Yolu', fraction: 0.2, side: 1, offsetM: 25 },
  { code: 'MEZ', name: 'Mezarlıklar Müdürlüğü Hizmet Binası', street: 'Gazi Caddesi', fraction: 0.3, side: 1, offsetM: 25 },
];

/** Each directorate's building and floor (0: ground floor) and how many desks it has there. */
export const DIRECTORATE_SITES: Record<string, { building: string; floor: number; desks: number }> = {
  OZK: { building: 'HB', floor: 3, desks: 10 },
  YAZI: { building: 'HB', floor: 1, desks: 14 },
  MALI: { building: 'HB', floor: 2, desks: 36 },
  IK: { building: 'HB', floor: 2, desks: 12 },
  BIM: { building: 'HB', floor: 4, desks: 22 },
  HUK: { building: 'HB', floor: 3, desks: 7 },
  IMAR: { building: 'EK', floor: 1, desks: 34 },
  EMLAK: { building: 'EK', floor: 2, desks: 12 },
  DEST: { building: 'EK', floor: 0, desks: 16 },
  FEN: { building: 'FEN', floor: 1, desks: 30 },
  ZAB: { building: 'ZAB', floor: 1, desks: 24 },
  ITF: { building: 'ITF', floor: 1, desks: 12 },
  TEM: { building: 'TEM', floor: 1, desks: 12 },
  PARK: { building: 'PARK', floor: 1, desks: 10 },
  KULT: { building: 'KULT', floor: 1, desks: 12 },
  SOS: { building: 'SOS', floor: 1, desks: 18 },
  KADIN: { building: 'SOS', floor: 2, desks: 9 },
  GENC: { building: 'GENC', floor: 1, desks: 9 },
  VET: { building: 'VET', floor: 0, desks: 7 },
  ULAS: { building: 'ULAS', floor: 1, desks: 12 },
  MEZ: { building: 'MEZ', floor: 0, desks: 5 },
};

/** Desks at a remote unit, by the kind of unit its name says. */
export function remoteUnitDesks(name: string): number {
  const rules: ReadonlyArray<readonly [RegExp, number]> = [
    [/İtfaiye|Kültür Merkezi|Beyaz Masa/, 4],
    [/Zabıta|Şantiye|Hal |Gençlik|Kütüphane|Sosyal Yardım|Temizlik|Makine/, 3],
    [/Depo|Fidanlık|Barınak|Otogar|Pazar|Geri Dönüşüm|Kent Ormanı|Gassalhane/, 1],
  ];
  return rules.find(([re]) => re.test(name))?.[1] ?? 2;
}

/** The IT store and the server room, in the town hall's basement. */
export const IT_STORE_SITE = 'Belediye Hizmet Binası, bodrum kat, Bilgi İşlem deposu';
export const SERVER_ROOM_SITE = 'Belediye Hizmet Binası, bodrum kat, sistem odası';

export const floorName = (floor: number): string => (floor === 0 ? 'zemin kat' : `${floor}. kat`);

/**
 * Staff of the directorates for the sample registers: they report faults, hold equipment in
 * custody (zimmet) and, in the IT directorate, repair, store and dispose of it. They have no
 * password: they appear in the records but cannot log in until an administrator gives them one.
 */

export interface StaffMember {
  username: string;
  fullName: string;
  /** Code of the org unit (a directorate, or a unit of the IT directorate). */
  orgUnit: string;
  /** Left the municipality on this day (YYYY-MM-DD): the account is inactive, its custody handed over. */
  leftOn?: string;
}

export const STAFF: readonly StaffMember[] = [
  // Bilgi İşlem: the head, the store keeper (taşınır kayıt yetkilisi), technicians, system and software staff.
  { username: 'hakan.aksoy', fullName: 'Hakan Aksoy', orgUnit: 'BIM' },
  { username: 'hasan.koc', fullName: 'Hasan Koç', orgUnit: 'BIM' },
  { username: 'emre.sahin', fullName: 'Emre Şahin', orgUnit: 'TEKNIK' },
  { username: 'burak.aydin', fullName: 'Burak Aydın', orgUnit: 'TEKNIK' },
  { username: 'serkan.ozturk', fullName: 'Serkan Öztürk', orgUnit: 'TEKNIK' },
  { username: 'oguz.kilic', fullName: 'Oğuz Kılıç', orgUnit: 'TEKNIK' },
  { username: 'kemal.dogan', fullName: 'Kemal Doğan', orgUnit: 'SISTEM' },
  { username: 'gokhan.yildiz', fullName: 'Gökhan Yıldız', orgUnit: 'SISTEM' },
  { username: 'merve.cetin', fullName: 'Merve Çetin', orgUnit: 'YAZILIM' },
  { username: 'sibel.kurt', fullName: 'Sibel Kurt', orgUnit: 'EVRAK' },
  { username: 'esra.polat', fullName: 'Esra Polat', orgUnit: 'OZK' },
  { username: 'murat.erdogan', fullName: 'Murat Erdoğan', orgUnit: 'OZK' },
  { username: 'hatice.yildirim', fullName: 'Hatice Yıldırım', orgUnit: 'YAZI' },
  { username: 'ibrahim.ozdemir', fullName: 'İbrahim Özdemir', orgUnit: 'YAZI' },
  { username: 'songul.tas', fullName: 'Songül Taş', orgUnit: 'YAZI' },
  { username: 'ahmet.aslan', fullName: 'Ahmet Aslan', orgUnit: 'MALI', leftOn: '2025-09-01' },
  { username: 'gulsen.acar', fullName: 'Gülşen Acar', orgUnit: 'MALI' },
  { username: 'yusuf.kocak', fullName: 'Yusuf Koçak', orgUnit: 'MALI' },
  { username: 'derya.kaplan', fullName: 'Derya Kaplan', orgUnit: 'IK' },
  { username: 'huseyin.sen', fullName: 'Hüseyin Şen', orgUnit: 'IK' },
  { username: 'ramazan.gunes', fullName: 'Ramazan Güneş', orgUnit: 'DEST' },
  { username: 'mustafa.bozkurt', fullName: 'Mustafa Bozkurt', orgUnit: 'DEST' },
  { username: 'nurcan.yalcin', fullName: 'Nurcan Yalçın', orgUnit: 'DEST' },
  { username: 'selin.ucar', fullName: 'Selin Uçar', orgUnit: 'HUK' },
  { username: 'cengiz.tekin', fullName: 'Cengiz Tekin', orgUnit: 'HUK' },
  { username: 'osman.kara', fullName: 'Osman Kara', orgUnit: 'FEN' },
  { username: 'ismail.dogru', fullName: 'İsmail Doğru', orgUnit: 'FEN' },
  { username: 'tuba.korkmaz', fullName: 'Tuba Korkmaz', orgUnit: 'FEN' },
  { username: 'kadir.ozer', fullName: 'Kadir Özer', orgUnit: 'IMAR' },
  { username: 'ayten.cinar', fullName: 'Ayten Çınar', orgUnit: 'IMAR' },
  { username: 'levent.bulut', fullName: 'Levent Bulut', orgUnit: 'IMAR' },
  { username: 'halil.ekinci', fullName: 'Halil Ekinci', orgUnit: 'EMLAK' },
  { username: 'filiz.guler', fullName: 'Filiz Güler', orgUnit: 'EMLAK' },
  { username: 'abdullah.turan', fullName: 'Abdullah Turan', orgUnit: 'ZAB' },
  { username: 'recep.ciftci', fullName: 'Recep Çiftçi', orgUnit: 'ZAB' },
  { username: 'yasin.coskun', fullName: 'Yasin Coşkun', orgUnit: 'ZAB' },
  { username: 'erkan.demirci', fullName: 'Erkan Demirci', orgUnit: 'ZAB' },
  { username: 'mahmut.karaca', fullName: 'Mahmut Karaca', orgUnit: 'ITF' },
  { username: 'sinan.altun', fullName: 'Sinan Altun', orgUnit: 'ITF', leftOn: '2025-06-02' },
  { username: 'volkan.uysal', fullName: 'Volkan Uysal', orgUnit: 'ITF' },
  { username: 'mehmet.akgul', fullName: 'Mehmet Akgül', orgUnit: 'TEM' },
  { username: 'cemal.sonmez', fullName: 'Cemal Sönmez', orgUnit: 'TEM' },
  { username: 'nihat.kaya', fullName: 'Nihat Kaya', orgUnit: 'PARK' },
  { username: 'suleyman.yavuz', fullName: 'Süleyman Yavuz', orgUnit: 'PARK' },
  { username: 'hacer.akin', fullName: 'Hacer Akın', orgUnit: 'PARK' },
  { username: 'gamze.eren', fullName: 'Gamze Eren', orgUnit: 'KULT' },
  { username: 'tolga.keskin', fullName: 'Tolga Keskin', orgUnit: 'KULT' },
  { username: 'yasemin.ates', fullName: 'Yasemin Ateş', orgUnit: 'KULT' },
  { username: 'emine.sari', fullName: 'Emine Sarı', orgUnit: 'SOS' },
  { username: 'zehra.kilinc', fullName: 'Zehra Kılınç', orgUnit: 'SOS' },
  { username: 'kubra.oral', fullName: 'Kübra Oral', orgUnit: 'SOS' },
  { username: 'seda.gul', fullName: 'Seda Gül', orgUnit: 'KADIN' },
  { username: 'hulya.dag', fullName: 'Hülya Dağ', orgUnit: 'KADIN' },
  { username: 'onur.celik', fullName: 'Onur Çelik', orgUnit: 'GENC' },
  { username: 'baris.aksu', fullName: 'Barış Aksu', orgUnit: 'GENC' },
  { username: 'selim.bayram', fullName: 'Selim Bayram', orgUnit: 'VET' },
  { username: 'ozge.tuna', fullName: 'Özge Tuna', orgUnit: 'VET' },
  { username: 'erdem.ince', fullName: 'Erdem İnce', orgUnit: 'ULAS' },
  { username: 'fatih.soylu', fullName: 'Fatih Soylu', orgUnit: 'ULAS' },
  { username: 'bekir.uzun', fullName: 'Bekir Uzun', orgUnit: 'MEZ' },
  { username: 'kazim.ergin', fullName: 'Kazım Ergin', orgUnit: 'MEZ' },
];

/** The sample login accounts of seeds/07_users.ts also work in their directorates. */
const SAMPLE_PEOPLE: readonly StaffMember[] = [
  { username: 'ayse.demir', fullName: 'Ayşe Demir', orgUnit: 'SISTEM' },
  { username: 'mehmet.yilmaz', fullName: 'Mehmet Yılmaz', orgUnit: 'TEKNIK' },
  { username: 'fatma.kaya', fullName: 'Fatma Kaya', orgUnit: 'FEN' },
  { username: 'ali.celik', fullName: 'Ali Çelik', orgUnit: 'ZAB' },
  { username: 'zeynep.arslan', fullName: 'Zeynep Arslan', orgUnit: 'IMAR' },
  { username: 'elif.yurt', fullName: 'Elif Yurt', orgUnit: 'MALI' },
];

/** The IT directorate's units: their staff belong to BIM for grants limited to one's directorate. */
const BIM_UNITS = new Set(['BIM', 'EVRAK', 'SISTEM', 'YAZILIM', 'TEKNIK']);

export const directorateOf = (orgUnit: string): string => (BIM_UNITS.has(orgUnit) ? 'BIM' : orgUnit);

/** Everyone who works in the registers: staff and the sample accounts, in a fixed order. */
export const PEOPLE: readonly StaffMember[] = [...SAMPLE_PEOPLE, ...STAFF];

/** Technical service (Teknik Servis): faults are assigned to them; the first is the unit's chief. */
export const TECHNICIANS = PEOPLE.filter((p) => p.orgUnit === 'TEKNIK').map((p) => p.username);
export const TECHNICAL_CHIEF = 'mehmet.yilmaz';
export const STORE_KEEPER = 'hasan.koc';
export const IT_HEAD = 'hakan.aksoy';

/** Handovers (devir-teslim): everything one person holds moves to a colleague in one act. */
export const HANDOVERS: ReadonlyArray<{ from: string; to: string; on: string; note: string }> = [
  { from: 'sinan.altun', to: 'mahmut.karaca', on: '2025-06-02', note: 'Başka kuruma atama nedeniyle devir-teslim' },
  { from: 'ahmet.aslan', to: 'gulsen.acar', on: '2025-09-01', note: 'Emeklilik nedeniyle devir-teslim' },
  { from: 'levent.bulut', to: 'kadir.ozer', on: '2026-03-16', note: 'Görev değişikliği (yapı denetim ekibine geçti) nedeniyle devir-teslim' },
];

import type { Kind, Model } from './catalog';

/**
 * What goes wrong with each kind of equipment, as the sample's fault reports say it (in Turkish, as
 * users write them): category, weight, the report, the cause and the resolution the technician
 * writes, the hands-on work in working minutes, the part it takes from the store, whether it may
 * be sent to a vendor, and how fault-prone each kind is.
 */

export type Category = 'HARDWARE' | 'SOFTWARE' | 'NETWORK' | 'POWER' | 'PERIPHERAL' | 'ACCOUNT' | 'OTHER';
export type Priority = 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';

export interface FaultTemplate {
  category: Category;
  weight: number;
  description: string;
  cause: string;
  resolution: string;
  /** Median hands-on work, working minutes. */
  work: number;
  priority?: Priority;
  /** Part used from the store: item code and quantity; null when the model takes none. */
  part?: (model: Model, kind: Kind) => readonly [string, number] | null;
  /** Hardware that may go to a vendor (under warranty, a maintenance contract, or paid). */
  vendor?: boolean;
}

const t = (category: Category, weight: number, description: string, cause: string, resolution: string, work: number, extra: Partial<FaultTemplate> = {}): FaultTemplate => ({
  category, weight, description, cause, resolution, work, ...extra,
});

const psu = (model: Model) => (model.make === 'Casper' ? ['PSU-ATX-500', 1] as const : ['PSU-SFF-180', 1] as const);

const WORKSTATION: readonly FaultTemplate[] = [
  t('HARDWARE', 4, 'Bilgisayar açılmıyor, güç düğmesine basınca hiçbir tepki yok.', 'Güç kaynağı arızalı', 'Güç kaynağı değiştirildi, cihaz test edildi.', 60, { part: psu, vendor: true }),
  t('HARDWARE', 5, 'Bilgisayar çok yavaş açılıyor, sık sık donuyor.', 'Disk arızası (SMART uyarıları)', 'Disk SSD ile değiştirildi; sistem ve programlar yeniden kuruldu, veriler aktarıldı.', 180, {
    part: (_m, kind) => (kind === 'LAPTOP' ? ['SSD-512-NVME', 1] : ['SSD-256-SATA', 1]),
    vendor: true,
  }),
  t('HARDWARE', 3, 'Mavi ekran hatası verip kendiliğinden yeniden başlıyor.', 'Bellek modülü arızalı', 'Bellek değiştirildi, bellek testi temiz.', 60, {
    part: (_m, kind) => (kind === 'LAPTOP' ? ['RAM-8-SODIMM', 1] : ['RAM-8-DIMM', 1]),
    vendor: true,
  }),
  t('HARDWARE', 1, 'Bilgisayarın tarih ve saati her açılışta sıfırlanıyor.', 'CMOS pili bitmiş', 'CMOS pili değiştirildi, BIOS ayarları yapıldı.', 20, { part: () => ['PIL-CR2032', 1] }),
  t('SOFTWARE', 10, 'Belediye otomasyon programı açılmıyor, bağlantı hatası veriyor.', 'İstemci güncellemesi eksik', 'Otomasyon istemcisi güncellendi, bağlantı ayarları düzeltildi.', 40),
  t('SOFTWARE', 7, 'e-İmza ile EBYS\'de belge imzalanamıyor.', 'e-İmza sürücüsü ile imzalama bileşeni uyumsuz', 'e-İmza sürücüsü ve imzalama bileşeni yeniden kuruldu, test imzası atıldı.', 45),
  t('SOFTWARE', 3, 'Office programları lisans hatası veriyor.', 'Lisans etkinleştirmesi düşmüş', 'Lisans yeniden etkinleştirildi.', 20),
  t('SOFTWARE', 3, 'Antivirüs programı zararlı yazılım uyarısı veriyor.', 'USB bellekten bulaşan zararlı yazılım', 'Tam tarama yapıldı, zararlı yazılım temizlendi; kullanıcı bilgilendirildi.', 90),
  t('SOFTWARE', 2, 'Güncellemeden sonra Windows açılmıyor.', 'Yarım kalan işletim sistemi güncellemesi', 'Sistem onarıldı, güncellemeler tamamlandı.', 120),
  t('NETWORK', 6, 'İnternete ve ortak klasörlere erişilemiyor.', 'Ağ kablosu hasarlı', 'Patch kablo değiştirildi, bağlantı test edildi.', 20, { part: () => ['PTC-CAT6-3M', 1] }),
  t('NETWORK', 3, 'Masadaki ağ prizi çalışmıyor.', 'Priz konnektörü kopmuş', 'Priz ve kablo ucu yeniden sonlandırıldı.', 40, { part: () => ['RJ45-CAT6', 2] }),
  t('NETWORK', 2, 'Paylaşılan müdürlük klasörüne erişilemiyor.', 'Klasör yetkisi tanımlı değil', 'Klasör yetkisi tanımlandı.', 15),
  t('ACCOUNT', 6, 'Parolamı unuttum, oturum açamıyorum.', 'Hesap hatalı denemeler nedeniyle kilitlenmiş', 'Hesap kilidi açıldı, parola sıfırlandı.', 10),
  t('ACCOUNT', 3, 'EBYS\'de yeni görevim için yetki gerekiyor.', 'Yetki talebi', 'Müdür onayıyla EBYS yetkisi tanımlandı.', 20, { priority: 'LOW' }),
  t('PERIPHERAL', 5, 'Klavyede bazı tuşlar çalışmıyor.', 'Klavyeye sıvı dökülmüş', 'Klavye değiştirildi.', 10, { part: (_m, kind) => (kind === 'LAPTOP' ? null : ['KLV-USB-Q', 1]) }),
  t('PERIPHERAL', 4, 'Fare çalışmıyor, imleç hareket etmiyor.', 'Fare arızalı', 'Fare değiştirildi.', 10, { part: () => ['FRE-USB', 1] }),
  t('PERIPHERAL', 2, 'İkinci monitör görüntü vermiyor.', 'Görüntü dönüştürücüsü arızalı', 'DisplayPort – HDMI dönüştürücü değiştirildi.', 15, { part: () => ['ADP-DP-HDMI', 1] }),
];

const LAPTOP: readonly FaultTemplate[] = [
  ...WORKSTATION,
  t('POWER', 3, 'Dizüstü bilgisayar şarj olmuyor.', 'Şarj adaptörü arızalı', 'Şarj adaptörü değiştirildi.', 15, { part: () => ['SRJ-65W-USBC', 1] }),
  t('HARDWARE', 2, 'Dizüstü bilgisayarın ekranında çizgiler var.', 'Ekran paneli arızalı', 'Ekran paneli değiştirildi.', 60, { vendor: true }),
];

const PRINTER: readonly FaultTemplate[] = [
  t('OTHER', 10, 'Toner bitti, çıktılar soluk çıkıyor.', 'Toner ömrünü doldurmuş', 'Toner değiştirildi, test sayfası alındı.', 10, {
    priority: 'LOW',
    part: (m) => (m.toner ? [m.toner, 1] : null),
  }),
  t('HARDWARE', 8, 'Yazıcı sürekli kağıt sıkıştırıyor.', 'Kağıt alma silindiri aşınmış', 'Silindir temizlendi ve ayarlandı, test çıktısı alındı.', 45, { vendor: true }),
  t('HARDWARE', 3, 'Çıktılarda siyah çizgi ve lekeler var.', 'Drum ünitesi ömrünü doldurmuş', 'Drum ünitesi değiştirildi.', 20, { part: (m) => (m.drum ? [m.drum, 1] : null), vendor: true }),
  t('HARDWARE', 2, 'Yazıcı fırın ünitesi hatası veriyor.', 'Fırın ünitesi arızalı', 'Fırın ünitesi değiştirildi.', 60, {
    part: (m) => (/M404|M428/.test(m.model) ? ['FSR-HP-M4XX', 1] : null),
    vendor: true,
  }),
  t('NETWORK', 4, 'Yazıcı ağda görünmüyor, çıktı gönderilemiyor.', 'IP adresi çakışması', 'Yazıcıya sabit IP verildi, yazıcı kuyruğu yeniden tanımlandı.', 30),
  t('SOFTWARE', 3, 'Yazıcı sürücüsü yüklü değil, çıktı alınamıyor.', 'Sürücü kaldırılmış', 'Yazıcı sürücüsü kuruldu.', 15),
];

const MFP: readonly FaultTemplate[] = [
  ...PRINTER,
  t('SOFTWARE', 4, 'Taranan belgeler e-postaya gitmiyor.', 'E-posta sunucusu ayarları değişmiş', 'Tarama profili ve e-posta ayarları güncellendi.', 30),
];

const SCANNER: readonly FaultTemplate[] = [
  t('HARDWARE', 5, 'Tarayıcı kağıdı çekmiyor.', 'Besleme silindiri aşınmış', 'Silindir seti değiştirildi.', 40, { vendor: true }),
  t('SOFTWARE', 5, 'Tarayıcı EBYS\'de görünmüyor.', 'TWAIN sürücüsü eksik', 'Sürücü kuruldu, EBYS tarama ayarı yapıldı.', 30),
  t('HARDWARE', 2, 'Taranan belgelerde dikey çizgi çıkıyor.', 'Tarayıcı camı ve sensör kirli', 'Cam ve sensörler temizlendi.', 20),
];

const MONITOR: readonly FaultTemplate[] = [
  t('HARDWARE', 5, 'Monitör görüntü vermiyor, güç ışığı yanıp sönüyor.', 'Güç kartı arızalı', 'Monitör onarıldı, yerine takıldı.', 30, { vendor: true }),
  t('PERIPHERAL', 4, 'Monitörde görüntü gelip gidiyor.', 'Görüntü kablosu arızalı', 'HDMI kablo değiştirildi.', 10, { part: () => ['HDMI-1.8', 1] }),
  t('HARDWARE', 2, 'Ekranda dikey çizgiler var.', 'Panel arızalı', 'Panel değiştirildi.', 30, { vendor: true }),
];

const PHONE: readonly FaultTemplate[] = [
  t('NETWORK', 5, 'Telefonda çevir sesi yok.', 'Switch PoE portu kapanmış', 'Port yeniden etkinleştirildi, telefon kayıt oldu.', 20),
  t('HARDWARE', 3, 'Ahize cızırtı yapıyor, karşı taraf duyamıyor.', 'Ahize kablosu arızalı', 'Ahize kablosu değiştirildi.', 15),
  t('SOFTWARE', 3, 'Dahili numara santrale kayıt olmuyor.', 'Santraldeki dahili tanımı silinmiş', 'Dahili santralde yeniden tanımlandı.', 20),
];

const battery = (m: Model) => m.battery ?? null;
const UPS: readonly FaultTemplate[] = [
  t('POWER', 6, 'UPS sürekli ötüyor, akü uyarısı veriyor.', 'Akü ömrünü doldurmuş', 'Akü değiştirildi, yük testi yapıldı.', 30, { part: battery }),
  t('POWER', 2, 'Elektrik kesintisinde UPS bilgisayarı beslemiyor.', 'Akü zayıflamış', 'Akü değiştirildi.', 30, { part: battery }),
  t('HARDWARE', 1, 'UPS açılmıyor.', 'Kontrol kartı arızalı', 'UPS onarıldı.', 30, { vendor: true }),
];

const ROOM_UPS: readonly FaultTemplate[] = [
  t('POWER', 4, 'Sistem odası UPS\'i akü testini geçemedi, kalan süre düşük.', 'Akü grubu zayıflamış', 'Akü grubu bakım sözleşmesi kapsamında yenilendi.', 120, { priority: 'HIGH', vendor: true }),
  t('POWER', 2, 'UPS bypass moduna geçti, alarm veriyor.', 'Fan arızası', 'Fan değiştirildi, UPS normal moda alındı.', 90, { priority: 'URGENT', vendor: true }),
];

const SWITCH: readonly FaultTemplate[] = [
  t('NETWORK', 5, 'Katta kimse ağa bağlanamıyor.', 'Switch kilitlenmiş', 'Switch yeniden başlatıldı, yazılımı güncellendi.', 40, { priority: 'HIGH' }),
  t('HARDWARE', 2, 'Switch\'in bazı portları çalışmıyor.', 'Port arızası', 'Bağlantılar yedek portlara taşındı.', 60, { vendor: true }),
  t('NETWORK', 1, 'Kat switch\'inin ana bağlantısı kopup geliyor.', 'SFP modül arızalı', 'SFP modül değiştirildi.', 30, {
    priority: 'HIGH',
    part: (_m, kind) => (kind === 'SMALL_SWITCH' ? null : ['SFP-1G-LX', 1]),
  }),
];

const EDGE: readonly FaultTemplate[] = [
  t('NETWORK', 4, 'VPN bağlantıları kopuyor.', 'Cihaz yazılımında hata', 'Cihaz yazılımı güncellendi, tüneller yeniden kuruldu.', 90, { priority: 'HIGH' }),
  t('NETWORK', 3, 'İnternet çıkışı çok yavaş.', 'Yanlış yapılandırılmış trafik kuralı', 'Trafik kuralları düzenlendi.', 60),
  t('HARDWARE', 1, 'Cihaz kendiliğinden yeniden başlıyor.', 'Güç modülü arızalı', 'Cihaz bakım sözleşmesi kapsamında onarıldı.', 60, { priority: 'URGENT', vendor: true }),
];

const SERVER: readonly FaultTemplate[] = [
  t('HARDWARE', 3, 'Sunucuda disk arızası uyarısı var (RAID dizisi bozulmuş).', 'RAID dizisinde disk arızası', 'Arızalı disk değiştirildi, RAID dizisi yeniden oluşturuldu.', 90, { priority: 'URGENT', vendor: true }),
  t('SOFTWARE', 4, 'Gece yedekleme işi başarısız oldu.', 'Yedekleme hedefinde yer kalmamış', 'Eski yedekler temizlendi, saklama süresi düzenlendi.', 60, { priority: 'HIGH' }),
  t('SOFTWARE', 3, 'Sanal sunucularda belirgin yavaşlama var.', 'Bellek yetersiz', 'Kaynaklar yeniden dağıtıldı.', 90, { priority: 'HIGH' }),
  t('POWER', 1, 'Sunucunun güç kaynaklarından biri arızalı uyarısı veriyor.', 'Güç kaynağı arızalı', 'Güç kaynağı değiştirildi.', 30, { priority: 'HIGH', vendor: true }),
];

const MODEM: readonly FaultTemplate[] = [
  t('NETWORK', 8, 'Birimde internet yok.', 'Servis sağlayıcının hattında arıza', 'Servis sağlayıcıya arıza kaydı açıldı, hat düzeldi.', 240, { priority: 'HIGH' }),
  t('NETWORK', 3, 'İnternet bağlantısı sık sık kopuyor.', 'Hat zayıflaması', 'Hat değerleri ölçüldü, bağlantı kutusu yenilendi.', 120),
  t('HARDWARE', 2, 'Modem sürekli yeniden başlıyor.', 'Modem adaptörü arızalı', 'Modem servis sağlayıcı tarafından değiştirildi.', 60),
];

const PBX: readonly FaultTemplate[] = [
  t('NETWORK', 3, 'Santralin dış hatları çalışmıyor, dışarıdan aranamıyoruz.', 'Hat kartı arızası', 'Hat kartı bayi tarafından değiştirildi, dış hatlar açıldı.', 90, { priority: 'URGENT', vendor: true }),
  t('SOFTWARE', 4, 'Santral çağrı yönlendirmesi çalışmıyor.', 'Yönlendirme tablosu bozulmuş', 'Yönlendirme tablosu düzeltildi.', 45),
  t('SOFTWARE', 2, 'Sesli karşılama mesajı çalmıyor.', 'Anons dosyası silinmiş', 'Karşılama anonsu yeniden yüklendi.', 30, { priority: 'LOW' }),
];

const CAMERA: readonly FaultTemplate[] = [
  t('NETWORK', 6, 'Kamera görüntüsü gelmiyor.', 'Kamera bağlantısında kesinti', 'Bağlantı onarıldı, görüntü geldi.', 120),
  t('POWER', 4, 'Kamera kapalı, izleme merkezinde görüntü yok.', 'Güç adaptörü arızalı', 'Güç adaptörü değiştirildi.', 60, { part: () => ['ADP-KAM-12V', 1] }),
  t('OTHER', 3, 'Kamera görüntüsü bulanık.', 'Lens ve kubbe kirli', 'Kubbe ve lens platformlu araçla temizlendi.', 90, { priority: 'LOW' }),
  t('HARDWARE', 2, 'Gece görüntüsü yok, kızılötesi çalışmıyor.', 'IR aydınlatıcı arızalı', 'Kamera onarıldı, yerine takıldı.', 90, { vendor: true }),
];

const PTZ: readonly FaultTemplate[] = [
  ...CAMERA,
  t('HARDWARE', 3, 'PTZ kamera dönmüyor, yakınlaştırma çalışmıyor.', 'Motor sürücü arızası', 'Kamera onarıldı, yerine takıldı.', 120, { vendor: true }),
];

const NVR: readonly FaultTemplate[] = [
  t('HARDWARE', 4, 'Kayıt cihazı disk arızası uyarısı veriyor.', 'Güvenlik diski arızalı', 'Arızalı disk değiştirildi, kayıt kontrol edildi.', 45, { priority: 'HIGH', part: () => ['HDD-8TB-NVR', 1] }),
  t('SOFTWARE', 3, 'Bazı kanallar kayıt yapmıyor.', 'Kayıt planı bozulmuş', 'Kayıt planı düzeltildi, cihaz yazılımı güncellendi.', 45, { priority: 'HIGH' }),
];

const PROJECTOR: readonly FaultTemplate[] = [
  t('HARDWARE', 4, 'Projeksiyon cihazı görüntü vermiyor.', 'Lamba ömrü dolmuş', 'Lamba değiştirildi.', 30, { vendor: true }),
  t('PERIPHERAL', 3, 'Toplantı salonunda dizüstü projeksiyona bağlanamıyor.', 'HDMI kablo arızalı', 'HDMI kablo değiştirildi.', 15, { part: () => ['HDMI-1.8', 1] }),
];

export const TEMPLATES: Record<Kind, readonly FaultTemplate[]> = {
  COMPUTER: WORKSTATION, LAPTOP, MONITOR, DESK_PRINTER: PRINTER, MFP, SCANNER, DESK_UPS: UPS, RACK_UPS: UPS, ROOM_UPS,
  ACCESS_SWITCH: SWITCH, SMALL_SWITCH: SWITCH, CORE_SWITCH: SWITCH, ROUTER: EDGE, FIREWALL: EDGE, SERVER, STORAGE: SERVER,
  MODEM_FIBER: MODEM, MODEM_XDSL: MODEM, MODEM_LTE: MODEM, PHONE, PBX, PROJECTOR, NVR,
  CAMERA_FIXED: CAMERA, CAMERA_BULLET: CAMERA, CAMERA_DOME: CAMERA, CAMERA_PTZ: PTZ, CAMERA_TRAFFIC: CAMERA,
};

/** Faults a year of each kind of equipment, when new; older equipment fails more often. */
export const FAULTS_PER_YEAR: Record<Kind, number> = {
  COMPUTER: 1.0, LAPTOP: 1.2, MONITOR: 0.12, DESK_PRINTER: 1.6, MFP: 2.6, SCANNER: 0.6, DESK_UPS: 0.35, RACK_UPS: 0.4,
  ROOM_UPS: 0.5, ACCESS_SWITCH: 0.25, SMALL_SWITCH: 0.15, CORE_SWITCH: 0.3, ROUTER: 0.3, FIREWALL: 0.5, SERVER: 0.6,
  STORAGE: 0.5, MODEM_FIBER: 1.0, MODEM_XDSL: 1.2, MODEM_LTE: 1.0, PHONE: 0.2, PBX: 1.5, PROJECTOR: 0.3, NVR: 1.0,
  CAMERA_FIXED: 1.0, CAMERA_BULLET: 1.0, CAMERA_DOME: 0.9, CAMERA_PTZ: 1.3, CAMERA_TRAFFIC: 1.0,
};

/** Faults reported on a place rather than on a registered asset: where, who, what. */
export interface PlaceFault {
  owner: string;
  square: string;
  bearing: number;
  distanceM: number;
  template: FaultTemplate;
}

export const PLACE_FAULTS: readonly PlaceFault[] = [
  { owner: 'PARK', square: 'Fırat Parkı Meydanı', bearing: 30, distanceM: 40, template: t('NETWORK', 1, 'Fırat Parkı\'ndaki ücretsiz internet (Wi-Fi) erişim noktası çalışmıyor.', 'Erişim noktasının PoE adaptörü yanmış', 'Adaptör değiştirildi, yayın açıldı.', 60) },
  { owner: 'ZAB', square: 'Belediye Meydanı', bearing: 200, distanceM: 25, template: t('HARDWARE', 1, 'Belediye Meydanı\'ndaki LED bilgi panosu görüntü vermiyor.', 'Kontrol kartı bağlantısı gevşemiş', 'Kontrol kartı bağlantısı yenilendi.', 90) },
  { owner: 'KULT', square: 'Cumhuriyet Meydanı', bearing: 120, distanceM: 30, template: t('NETWORK', 1, 'Cumhuriyet Meydanı\'ndaki etkinlik alanında yayın bağlantısı kurulamıyor.', 'Saha dolabındaki switch kapalı', 'Saha dolabına enerji verildi, bağlantı kuruldu.', 45) },
  { owner: 'ULAS', square: 'Otogar Kavşağı', bearing: 300, distanceM: 20, template: t('NETWORK', 1, 'Otogar Kavşağı sinyalizasyon kabininin merkezle bağlantısı yok.', 'Kabin modemi kilitlenmiş', 'Modem yeniden başlatıldı, izleme bağlantısı geldi.', 60, { priority: 'HIGH' }) },
  { owner: 'FEN', square: 'İstasyon Meydanı', bearing: 60, distanceM: 35, template: t('NETWORK', 1, 'İstasyon Meydanı\'ndaki kazıda fiber kablo hasar gördü.', 'Kazı sırasında kablo kesildi', 'Fiber kablo eklendi, hat testleri yapıldı.', 300, { priority: 'URGENT' }) },
  { owner: 'BIM', square: 'Hastane Kavşağı', bearing: 150, distanceM: 15, template: t('OTHER', 1, 'Hastane Kavşağı\'ndaki kamera direğinde kablo sarkıyor.', 'Kablo bağı kopmuş', 'Kablo toplandı ve sabitlendi.', 45, { priority: 'LOW' }) },
  { owner: 'ZAB', square: 'Cumhuriyet Meydanı', bearing: 250, distanceM: 20, template: t('HARDWARE', 1, 'Cumhuriyet Meydanı\'ndaki acil çağrı butonu çalışmıyor.', 'Buton kablosu nem almış', 'Kablo ve buton kutusu yenilendi.', 60, { priority: 'HIGH' }) },
  { owner: 'ULAS', square: 'Gaziantep Kavşağı', bearing: 90, distanceM: 25, template: t('POWER', 1, 'Gaziantep Kavşağı\'ndaki dijital yön tabelası kapalı.', 'Sigorta atmış', 'Sigorta yenilendi, tabela açıldı.', 30) },
];

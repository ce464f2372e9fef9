/**
 * Suppliers and service centres of the sample IT registers: local suppliers the directorate buys
 * from, brands' authorised service centres that repair under warranty, and the firms holding
 * maintenance contracts (bakım-onarım sözleşmesi). Names, phones and e-mail domains are invented.
 */

export type VendorKey = 'NIZIP' | 'GBT' | 'ANTEP' | 'HP' | 'DELL' | 'LENOVO' | 'SECKAM' | 'KAREL' | 'GUC';

export interface VendorSeed {
  key: VendorKey;
  name: string;
  phone: string;
  email: string;
  /** Maintenance contract: number, first and last day, and the asset types it covers. */
  contract?: { no: string; from: string; to: string; covers: readonly string[] };
  /** Brands whose equipment this vendor repairs under warranty (an authorised service centre). */
  serviceFor?: readonly string[];
}

export const VENDORS: readonly VendorSeed[] = [
  { key: 'NIZIP', name: 'Nizip Bilgisayar ve Yazılım Ltd. Şti.', phone: '0342 517 21 40', email: 'satis@nizipbilgisayar.example' },
  {
    key: 'GBT',
    name: 'Gaziantep Bilişim Teknolojileri A.Ş.',
    phone: '0342 215 40 40',
    email: 'kamu@gantepbilisim.example',
    contract: { no: 'BİM-2025/04', from: '2025-03-01', to: '2026-12-31', covers: ['SERVER', 'SWITCH', 'ROUTER', 'FIREWALL', 'OTHER'] },
  },
  {
    key: 'ANTEP',
    name: 'Antep Ofis Sistemleri',
    phone: '0342 231 55 66',
    email: 'servis@antepofis.example',
    contract: { no: 'BİM-2025/07', from: '2025-01-01', to: '2026-12-31', covers: ['PRINTER', 'SCANNER'] },
  },
  { key: 'HP', name: 'Bilge Teknik (HP Yetkili Servis)', phone: '0342 322 10 20', email: 'hp@bilgeteknik.example', serviceFor: ['HP', 'HPE', 'Aruba'] },
  { key: 'DELL', name: 'Dell Teknik Servis Gaziantep', phone: '0342 360 77 00', email: 'servis@delltrgaziantep.example', serviceFor: ['Dell'] },
  { key: 'LENOVO', name: 'Pusula Bilişim (Lenovo Yetkili Servis)', phone: '0342 338 90 12', email: 'lenovo@pusulabilisim.example', serviceFor: ['Lenovo'] },
  {
    key: 'SECKAM',
    name: 'Sec-Kam Güvenlik Sistemleri',
    phone: '0342 503 63 63',
    email: 'destek@seckam.example',
    contract: { no: 'BİM-2024/11', from: '2024-01-01', to: '2025-12-31', covers: ['CAMERA', 'NVR'] },
    serviceFor: ['Hikvision', 'Dahua'],
  },
  {
    key: 'KAREL',
    name: 'Tele-Net İletişim (Karel Bölge Bayisi)',
    phone: '0342 241 18 18',
    email: 'teknik@telenet-iletisim.example',
    contract: { no: 'BİM-2026/02', from: '2026-02-01', to: '2027-01-31', covers: ['PBX', 'PHONE'] },
    serviceFor: ['Karel', 'Yealink', 'Grandstream'],
  },
  {
    key: 'GUC',
    name: 'Güç Enerji UPS Sistemleri',
    phone: '0342 290 45 45',
    email: 'servis@gucenerji.example',
    contract: { no: 'BİM-2024/09', from: '2024-07-01', to: '2026-06-30', covers: ['UPS'] },
    serviceFor: ['APC', 'Eaton', 'Inform'],
  },
];

export const vendorByKey = (key: VendorKey): VendorSeed => {
  const v = VENDORS.find((x) => x.key === key);
  if (!v) throw new Error(`no vendor ${key}`);
  return v;
};

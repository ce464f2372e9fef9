import type { VendorKey } from './vendors';

/**
 * What the sample municipality buys: makes and models by kind of equipment and by the years they
 * were sold, the supplier of each, the first half of its MAC addresses (the maker's OUI; none for
 * equipment without a network port), the shape of its serial numbers, and the consumables it takes
 * (toner and drum codes of ./stock). Models are real products; serials and MACs are invented.
 */

export type AssetType =
  | 'COMPUTER' | 'LAPTOP' | 'PRINTER' | 'SCANNER' | 'MONITOR' | 'UPS' | 'SWITCH' | 'ROUTER' | 'FIREWALL' | 'SERVER'
  | 'MODEM' | 'PHONE' | 'PBX' | 'CAMERA' | 'NVR' | 'SPLICE_BOX' | 'LEASED_LINE' | 'OTHER';

/** A kind of equipment as bought: an asset type, and where the difference matters, its use. */
export type Kind =
  | 'COMPUTER' | 'LAPTOP' | 'MONITOR' | 'DESK_PRINTER' | 'MFP' | 'SCANNER' | 'DESK_UPS' | 'RACK_UPS' | 'ROOM_UPS'
  | 'ACCESS_SWITCH' | 'SMALL_SWITCH' | 'CORE_SWITCH' | 'ROUTER' | 'FIREWALL' | 'SERVER' | 'STORAGE' | 'MODEM_FIBER'
  | 'MODEM_XDSL' | 'MODEM_LTE' | 'PHONE' | 'PBX' | 'PROJECTOR' | 'NVR'
  | 'CAMERA_FIXED' | 'CAMERA_BULLET' | 'CAMERA_DOME' | 'CAMERA_PTZ' | 'CAMERA_TRAFFIC';

export interface Model {
  make: string;
  model: string;
  /** Years it was bought in. */
  from: number;
  to: number;
  supplier: VendorKey;
  /** First three bytes of its MAC addresses; null: no network interface of its own. */
  oui: string | null;
  /** Serial pattern: # a digit, @ a letter, * a digit or letter, % a hex digit; anything else as is. */
  serial: string;
  toner?: string;
  drum?: string;
  /** UPS batteries: stock item and how many the UPS holds. */
  battery?: readonly [item: string, count: number];
}

export const TYPE_OF: Record<Kind, AssetType> = {
  COMPUTER: 'COMPUTER', LAPTOP: 'LAPTOP', MONITOR: 'MONITOR', DESK_PRINTER: 'PRINTER', MFP: 'PRINTER', SCANNER: 'SCANNER',
  DESK_UPS: 'UPS', RACK_UPS: 'UPS', ROOM_UPS: 'UPS', ACCESS_SWITCH: 'SWITCH', SMALL_SWITCH: 'SWITCH', CORE_SWITCH: 'SWITCH',
  ROUTER: 'ROUTER', FIREWALL: 'FIREWALL', SERVER: 'SERVER', STORAGE: 'OTHER', MODEM_FIBER: 'MODEM', MODEM_XDSL: 'MODEM',
  MODEM_LTE: 'MODEM', PHONE: 'PHONE', PBX: 'PBX', PROJECTOR: 'OTHER', NVR: 'NVR', CAMERA_FIXED: 'CAMERA',
  CAMERA_BULLET: 'CAMERA', CAMERA_DOME: 'CAMERA', CAMERA_PTZ: 'CAMERA', CAMERA_TRAFFIC: 'CAMERA',
};

const m = (make: string, model: string, from: number, to: number, supplier: VendorKey, oui: string | null, serial: string, extra: Partial<Model> = {}): Model => ({
  make, model, from, to, supplier, oui, serial, ...extra,
});

const HP_OUI = '3C:D9:2B';
const DELL_OUI = 'F8:BC:12';
const LENOVO_OUI = '6C:4B:90';
const REALTEK_OUI = '00:E0:4C';

export const CATALOG: Record<Kind, readonly Model[]> = {
  COMPUTER: [
    m('HP', 'ProDesk 400 G3 SFF', 2015, 2016, 'NIZIP', HP_OUI, 'CZC6******'),
    m('Casper', 'Nirvana D6F', 2016, 2018, 'NIZIP', REALTEK_OUI, 'CSP#########'),
    m('Dell', 'OptiPlex 3050 SFF', 2017, 2018, 'NIZIP', DELL_OUI, '*******'),
    m('Lenovo', 'ThinkCentre M710s', 2017, 2018, 'NIZIP', LENOVO_OUI, 'MJ0*****'),
    m('HP', 'ProDesk 400 G5 SFF', 2018, 2019, 'NIZIP', HP_OUI, 'CZC9******'),
    m('Dell', 'OptiPlex 3070 SFF', 2019, 2020, 'NIZIP', DELL_OUI, '*******'),
    m('HP', 'ProDesk 400 G7 SFF', 2020, 2021, 'NIZIP', HP_OUI, 'CZC1******'),
    m('Dell', 'OptiPlex 3090 SFF', 2021, 2022, 'NIZIP', DELL_OUI, '*******'),
    m('Lenovo', 'ThinkCentre M70s Gen 3', 2022, 2023, 'NIZIP', LENOVO_OUI, 'MJ0*****'),
    m('HP', 'ProDesk 400 G9 SFF', 2023, 2024, 'NIZIP', HP_OUI, 'CZC3******'),
    m('Dell', 'OptiPlex 7010 SFF', 2024, 2026, 'NIZIP', DELL_OUI, '*******'),
    m('Lenovo', 'ThinkCentre M70s Gen 5', 2025, 2026, 'NIZIP', LENOVO_OUI, 'MJ0*****'),
  ],
  LAPTOP: [
    m('Dell', 'Latitude 5480', 2016, 2018, 'GBT', DELL_OUI, '*******'),
    m('Casper', 'Nirvana C600', 2018, 2019, 'NIZIP', REALTEK_OUI, 'CSP#########'),
    m('HP', 'ProBook 450 G6', 2019, 2020, 'GBT', HP_OUI, '5CD9******'),
    m('Dell', 'Latitude 5420', 2021, 2022, 'GBT', DELL_OUI, '*******'),
    m('HP', 'ProBook 450 G9', 2022, 2023, 'GBT', HP_OUI, '5CD2******'),
    m('Dell', 'Latitude 5440', 2023, 2025, 'GBT', DELL_OUI, '*******'),
    m('Lenovo', 'ThinkPad E14 Gen 5', 2024, 2026, 'GBT', LENOVO_OUI, 'PF4*****'),
  ],
  MONITOR: [
    m('Samsung', 'S22F350FHM', 2015, 2017, 'NIZIP', null, '0AA*H#######'),
    m('Philips', '223V5LSB2', 2015, 2017, 'NIZIP', null, 'UK#########'),
    m('Dell', 'P2219H', 2018, 2019, 'NIZIP', null, 'CN-0*****-*****'),
    m('Philips', '243V7QDSB', 2018, 2021, 'NIZIP', null, 'UK#########'),
    m('HP', 'P24v G4', 2020, 2022, 'NIZIP', null, 'CNK1******'),
    m('Dell', 'P2422H', 2021, 2023, 'NIZIP', null, 'CN-0*****-*****'),
    m('Lenovo', 'ThinkVision T24i-30', 2022, 2025, 'NIZIP', null, 'V5******'),
    m('Dell', 'P2425H', 2024, 2026, 'NIZIP', null, 'CN-0*****-*****'),
  ],
  DESK_PRINTER: [
    m('Canon', 'i-SENSYS LBP6030', 2015, 2017, 'ANTEP', null, 'XAC#####', { toner: 'TNR-CRG725' }),
    m('HP', 'LaserJet Pro M402dn', 2015, 2018, 'ANTEP', HP_OUI, 'PHB*******', { toner: 'TNR-CF226A' }),
    m('HP', 'LaserJet Pro M404dn', 2019, 2023, 'ANTEP', HP_OUI, 'PHB*******', { toner: 'TNR-CF259A' }),
    m('Canon', 'i-SENSYS LBP233dw', 2022, 2026, 'ANTEP', '00:1E:8F', 'XAC#####', { toner: 'TNR-CRG057' }),
    m('HP', 'LaserJet Pro 4003dn', 2023, 2026, 'ANTEP', HP_OUI, 'PHB*******', { toner: 'TNR-W1510A' }),
  ],
  MFP: [
    m('HP', 'LaserJet Pro MFP M426fdn', 2015, 2018, 'ANTEP', HP_OUI, 'PHB*******', { toner: 'TNR-CF226A' }),
    m('Brother', 'MFC-L5750DW', 2017, 2020, 'ANTEP', '00:80:77', 'U6*******', { toner: 'TNR-TN3480', drum: 'DRM-DR3400' }),
    m('Kyocera', 'ECOSYS M2540dn', 2018, 2021, 'ANTEP', '00:C0:EE', 'VCX#######', { toner: 'TNR-TK1170', drum: 'DRM-DK1150' }),
    m('HP', 'LaserJet Pro MFP M428fdw', 2019, 2022, 'ANTEP', HP_OUI, 'PHB*******', { toner: 'TNR-CF259A' }),
    m('Canon', 'i-SENSYS MF443dw', 2020, 2024, 'ANTEP', '00:1E:8F', 'XAC#####', { toner: 'TNR-CRG057' }),
    m('Kyocera', 'ECOSYS M2640idw', 2022, 2026, 'ANTEP', '00:C0:EE', 'VCX#######', { toner: 'TNR-TK1170', drum: 'DRM-DK1150' }),
  ],
  SCANNER: [
    m('Fujitsu', 'fi-7160', 2016, 2020, 'ANTEP', null, 'A2######'),
    m('Canon', 'imageFORMULA DR-C225 II', 2017, 2022, 'ANTEP', null, 'GE######'),
    m('Brother', 'ADS-2700W', 2019, 2022, 'ANTEP', '00:80:77', 'U6*******'),
    m('Epson', 'WorkForce DS-530 II', 2021, 2026, 'ANTEP', null, 'X4********'),
  ],
  DESK_UPS: [
    m('APC', 'Back-UPS 700VA (BX700U-GR)', 2015, 2026, 'GUC', null, '3B####*#####', { battery: ['AKU-12V7', 1] }),
    m('Eaton', '5E 850i', 2017, 2023, 'GUC', null, 'G#@#######', { battery: ['AKU-12V9', 1] }),
    m('Inform', 'Guard 1000 AP', 2019, 2026, 'GUC', null, 'IN#########', { battery: ['AKU-12V9', 1] }),
  ],
  RACK_UPS: [
    m('APC', 'Back-UPS Pro 1500 (BR1500G-GR)', 2016, 2026, 'GUC', null, '3B####*#####', { battery: ['AKU-12V9', 2] }),
  ],
  ROOM_UPS: [
    m('APC', 'Smart-UPS 3000 (SMT3000RMI2U)', 2016, 2019, 'GUC', '00:C0:B7', 'AS##########'),
    m('APC', 'Smart-UPS SRT 10000 (SRT10KXLI)', 2020, 2026, 'GUC', '00:C0:B7', 'AS##########'),
  ],
  ACCESS_SWITCH: [
    m('Cisco', 'Catalyst 2960-X 48 (WS-C2960X-48FPD-L)', 2015, 2019, 'GBT', '00:1B:54', 'FOC####@###'),
    m('HPE Aruba', '2530-24G (J9776A)', 2017, 2021, 'GBT', '94:18:82', 'CN########'),
    m('Cisco', 'Catalyst 9200L-48P-4G', 2020, 2024, 'GBT', '00:1B:54', 'FOC####@###'),
    m('HPE Aruba', 'CX 6100 24G (JL678A)', 2022, 2026, 'GBT', '94:18:82', 'CN########'),
  ],
  SMALL_SWITCH: [
    m('TP-Link', 'TL-SG1016D', 2015, 2026, 'NIZIP', null, '22########'),
  ],
  CORE_SWITCH: [
    m('Cisco', 'Catalyst 9300-48P', 2019, 2026, 'GBT', '00:1B:54', 'FOC####@###'),
  ],
  ROUTER: [
    m('Cisco', 'ISR 4331', 2018, 2026, 'GBT', '00:1B:54', 'FDO####@###'),
  ],
  FIREWALL: [
    m('Fortinet', 'FortiGate 100E', 2016, 2019, 'GBT', '00:09:0F', 'FG100ETK########'),
    m('Fortinet', 'FortiGate 200F', 2020, 2026, 'GBT', '00:09:0F', 'FG200FT9########'),
  ],
  SERVER: [
    m('Dell', 'PowerEdge R730', 2015, 2017, 'GBT', DELL_OUI, '*******'),
    m('HPE', 'ProLiant DL380 Gen10', 2018, 2020, 'GBT', '94:18:82', 'CZJ#######'),
    m('Dell', 'PowerEdge R740', 2019, 2021, 'GBT', DELL_OUI, '*******'),
    m('Dell', 'PowerEdge R750', 2021, 2023, 'GBT', DELL_OUI, '*******'),
    m('Lenovo', 'ThinkSystem SR650 V2', 2022, 2024, 'GBT', LENOVO_OUI, 'J30*****'),
    m('HPE', 'ProLiant DL380 Gen11', 2024, 2026, 'GBT', '94:18:82', 'CZJ#######'),
  ],
  STORAGE: [
    m('Synology', 'RackStation RS1221+', 2021, 2023, 'GBT', '00:11:32', '2150*******'),
    m('Dell', 'PowerVault ME5024', 2022, 2026, 'GBT', DELL_OUI, '*******'),
  ],
  MODEM_FIBER: [m('Huawei', 'HG8245H5', 2016, 2026, 'NIZIP', '00:E0:FC', '48575443%%%%%%%%')],
  MODEM_XDSL: [
    m('ZTE', 'ZXHN H298A', 2016, 2022, 'NIZIP', '00:19:C6', 'ZTEG%%%%%%%%'),
    m('Zyxel', 'VMG3625-T50B', 2021, 2026, 'NIZIP', '5C:F4:AB', 'S2########'),
  ],
  MODEM_LTE: [m('Huawei', 'B535-232', 2019, 2026, 'NIZIP', '00:E0:FC', '*************')],
  PHONE: [
    m('Grandstream', 'GXP1625', 2015, 2019, 'KAREL', '00:0B:82', '20EZ########'),
    m('Karel', 'IP112', 2017, 2022, 'KAREL', '00:1A:3F', 'KRL########'),
    m('Yealink', 'SIP-T31P', 2021, 2026, 'KAREL', '00:15:65', '80##########'),
  ],
  PBX: [m('Karel', 'MS48', 2015, 2026, 'KAREL', '00:1A:3F', 'KRL########')],
  PROJECTOR: [
    m('Epson', 'EB-E20', 2016, 2020, 'NIZIP', null, 'X4********'),
    m('Epson', 'EB-X51', 2019, 2022, 'NIZIP', null, 'X4********'),
    m('Epson', 'EB-FH52', 2022, 2026, 'NIZIP', '00:26:AB', 'X4********'),
  ],
  NVR: [m('Hikvision', 'DS-9632NI-I8', 2017, 2026, 'SECKAM', 'BC:AD:28', 'DS9632NI-I8#########')],
  CAMERA_FIXED: [
    m('Hikvision', 'DS-2CD2643G2-IZS', 2017, 2026, 'SECKAM', 'BC:AD:28', 'L########'),
    m('Dahua', 'IPC-HFW5442E-ZE', 2019, 2026, 'SECKAM', '3C:EF:8C', '7J0********'),
  ],
  CAMERA_BULLET: [
    m('Hikvision', 'DS-2CD2T47G2-L', 2017, 2026, 'SECKAM', 'BC:AD:28', 'L########'),
    m('Dahua', 'IPC-HFW2441S-S', 2019, 2026, 'SECKAM', '3C:EF:8C', '7J0********'),
  ],
  CAMERA_DOME: [
    m('Hikvision', 'DS-2CD2146G2-I', 2017, 2026, 'SECKAM', 'BC:AD:28', 'L########'),
    m('Dahua', 'IPC-HDW2441T-S', 2019, 2026, 'SECKAM', '3C:EF:8C', '7J0********'),
  ],
  CAMERA_PTZ: [
    m('Hikvision', 'DS-2DE4425IW-DE', 2017, 2026, 'SECKAM', 'BC:AD:28', 'L########'),
    m('Dahua', 'SD49425XB-HNR', 2019, 2026, 'SECKAM', '3C:EF:8C', '7J0********'),
  ],
  CAMERA_TRAFFIC: [m('Hikvision', 'iDS-2CD7A46G0/P-IZHS (plaka tanıma)', 2017, 2026, 'SECKAM', 'BC:AD:28', 'L########')],
};

/** Inventory (demirbaş) number prefix of each asset type. */
export const INVENTORY_PREFIX: Record<AssetType, string> = {
  COMPUTER: 'BLG', LAPTOP: 'DZB', PRINTER: 'YZC', SCANNER: 'TRY', MONITOR: 'MNT', UPS: 'UPS', SWITCH: 'AGA', ROUTER: 'YNL',
  FIREWALL: 'GDV', SERVER: 'SNC', MODEM: 'MDM', PHONE: 'TEL', PBX: 'SNT', CAMERA: 'KAM', NVR: 'NVR', SPLICE_BOX: 'EKK', LEASED_LINE: 'KDH', OTHER: 'DGR',
};

/** Years of warranty from purchase. */
export const WARRANTY_YEARS: Partial<Record<AssetType, number>> = { COMPUTER: 3, LAPTOP: 3, MONITOR: 3, SERVER: 3, SWITCH: 3, FIREWALL: 3, ROUTER: 3, OTHER: 2 };

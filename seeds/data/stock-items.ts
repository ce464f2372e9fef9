/**
 * The IT directorate's store of consumables and spare parts: code, name, category, unit, minimum
 * level, what it starts the history with, and how much of it goes out in an ordinary month
 * besides what faults use (toner deliveries are computed from the printers instead).
 */

export interface StockItemSeed {
  code: string;
  name: string;
  category: 'CONSUMABLE' | 'SPARE_PART';
  unit: string;
  minimum: number;
  /** Level at the start of the history (carried over from the year before). */
  opening: number;
  /** Routine issues a month (mean), not tied to a fault: new desks, cabling, requests. */
  monthly?: number;
  /** Quantity of one routine issue: [min, max]. */
  batch?: readonly [number, number];
}

export const STOCK_ITEMS: readonly StockItemSeed[] = [
  { code: 'TNR-CF226A', name: 'HP 26A siyah toner (CF226A)', category: 'CONSUMABLE', unit: 'adet', minimum: 6, opening: 14 },
  { code: 'TNR-CF259A', name: 'HP 59A siyah toner (CF259A)', category: 'CONSUMABLE', unit: 'adet', minimum: 10, opening: 24 },
  { code: 'TNR-W1510A', name: 'HP 151A siyah toner (W1510A)', category: 'CONSUMABLE', unit: 'adet', minimum: 4, opening: 6 },
  { code: 'TNR-CRG725', name: 'Canon 725 siyah toner', category: 'CONSUMABLE', unit: 'adet', minimum: 3, opening: 8 },
  { code: 'TNR-CRG057', name: 'Canon 057 siyah toner', category: 'CONSUMABLE', unit: 'adet', minimum: 6, opening: 16 },
  { code: 'TNR-TN3480', name: 'Brother TN-3480 siyah toner', category: 'CONSUMABLE', unit: 'adet', minimum: 4, opening: 10 },
  { code: 'DRM-DR3400', name: 'Brother DR-3400 drum ünitesi', category: 'CONSUMABLE', unit: 'adet', minimum: 2, opening: 4 },
  { code: 'TNR-TK1170', name: 'Kyocera TK-1170 siyah toner', category: 'CONSUMABLE', unit: 'adet', minimum: 5, opening: 12 },
  { code: 'DRM-DK1150', name: 'Kyocera DK-1150 drum ünitesi', category: 'CONSUMABLE', unit: 'adet', minimum: 1, opening: 3 },
  { code: 'FSR-HP-M4XX', name: 'HP M404/M428 fırın ünitesi (fuser)', category: 'SPARE_PART', unit: 'adet', minimum: 1, opening: 2 },
  { code: 'KLV-USB-Q', name: 'USB klavye, Türkçe Q', category: 'SPARE_PART', unit: 'adet', minimum: 10, opening: 25, monthly: 2.5, batch: [1, 3] },
  { code: 'FRE-USB', name: 'USB optik fare', category: 'SPARE_PART', unit: 'adet', minimum: 10, opening: 30, monthly: 3.5, batch: [1, 3] },
  { code: 'RJ45-CAT6', name: 'RJ45 konnektör, Cat6', category: 'CONSUMABLE', unit: 'adet', minimum: 200, opening: 600, monthly: 4, batch: [20, 60] },
  { code: 'PTC-CAT6-1M', name: 'Patch kablo Cat6, 1 m', category: 'CONSUMABLE', unit: 'adet', minimum: 20, opening: 60, monthly: 3, batch: [2, 10] },
  { code: 'PTC-CAT6-3M', name: 'Patch kablo Cat6, 3 m', category: 'CONSUMABLE', unit: 'adet', minimum: 20, opening: 50, monthly: 3, batch: [2, 8] },
  { code: 'KBL-CAT6-305', name: 'Cat6 U/UTP kablo, 305 m makara', category: 'CONSUMABLE', unit: 'makara', minimum: 2, opening: 5, monthly: 0.3, batch: [1, 1] },
  { code: 'SSD-256-SATA', name: 'SSD 256 GB, 2.5" SATA', category: 'SPARE_PART', unit: 'adet', minimum: 5, opening: 10, monthly: 0.8, batch: [1, 2] },
  { code: 'SSD-512-NVME', name: 'SSD 512 GB, M.2 NVMe', category: 'SPARE_PART', unit: 'adet', minimum: 3, opening: 6 },
  { code: 'HDD-8TB-NVR', name: 'Güvenlik diski 8 TB (WD Purple)', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 4 },
  { code: 'RAM-8-DIMM', name: 'Bellek 8 GB DDR4 DIMM', category: 'SPARE_PART', unit: 'adet', minimum: 4, opening: 10, monthly: 0.6, batch: [1, 2] },
  { code: 'RAM-8-SODIMM', name: 'Bellek 8 GB DDR4 SO-DIMM', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 4 },
  { code: 'PSU-SFF-180', name: 'SFF kasa güç kaynağı 180 W', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 5 },
  { code: 'PSU-ATX-500', name: 'ATX güç kaynağı 500 W', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 4 },
  { code: 'AKU-12V7', name: 'UPS aküsü 12 V 7 Ah', category: 'SPARE_PART', unit: 'adet', minimum: 8, opening: 16 },
  { code: 'AKU-12V9', name: 'UPS aküsü 12 V 9 Ah', category: 'SPARE_PART', unit: 'adet', minimum: 6, opening: 12 },
  { code: 'HDMI-1.8', name: 'HDMI kablo, 1.8 m', category: 'CONSUMABLE', unit: 'adet', minimum: 5, opening: 15, monthly: 1, batch: [1, 2] },
  { code: 'ADP-DP-HDMI', name: 'DisplayPort – HDMI dönüştürücü', category: 'CONSUMABLE', unit: 'adet', minimum: 3, opening: 8, monthly: 0.6, batch: [1, 2] },
  { code: 'ADP-KAM-12V', name: 'Kamera güç adaptörü 12 V 2 A', category: 'SPARE_PART', unit: 'adet', minimum: 4, opening: 8 },
  { code: 'SFP-1G-LX', name: 'SFP modül 1000BASE-LX', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 4 },
  { code: 'PIL-CR2032', name: 'CMOS pili CR2032', category: 'CONSUMABLE', unit: 'adet', minimum: 10, opening: 20 },
  { code: 'SRJ-65W-USBC', name: 'Dizüstü şarj adaptörü 65 W USB-C', category: 'SPARE_PART', unit: 'adet', minimum: 2, opening: 3 },
];

import type { FaultPlan } from './faults';
import type { AssetPlan } from './inventory';
import { seededRandom } from './random';
import { STORE_KEEPER } from './staff';
import { STOCK_ITEMS } from './stock-items';
import { addWorkingMinutes, atLocal, HISTORY_START, localDate, logNormal, poisson, SAMPLE_NOW, workingMomentBetween } from './time';

/**
 * Two years of the IT store's movements. Toner goes out to the directorates every month in
 * proportion to their printers, cables and peripherals go out for installations and requests,
 * parts go out for the faults that used them. The store keeper orders an item when it falls below its
 * minimum (up to a level that lasts a few months) and the order comes in a couple of weeks later;
 * a fault that finds the shelf empty gets an urgent purchase. Orders still on the way on the
 * sample's today leave some items under their minimum. The level never goes below zero.
 */

export interface MovementPlan {
  item: string;
  kind: 'IN' | 'OUT' | 'ADJUST';
  quantity: number;
  at: number;
  actor: string;
  fault: FaultPlan | null;
  note: string;
}

interface Demand {
  item: string;
  quantity: number;
  at: number;
  actor: string;
  fault: FaultPlan | null;
  note: string;
  /** A count at the year's end: a signed correction, not an issue. */
  adjust?: boolean;
}

const OPENING_AT = atLocal('2024-11-22', 16 * 60 + 30);
const YEAR_END_COUNT_AT = atLocal('2025-12-31', 15 * 60 + 30);

export function simulateStock(assets: readonly AssetPlan[], faults: readonly FaultPlan[]): { movements: MovementPlan[]; levels: Map<string, number> } {
  const { random, intBetween } = seededRandom('kbs-nizip-stock');
  const demands: Demand[] = [];

  // Month by month: toner and drums for each directorate's printers, routine issues of the rest.
  for (let month = new Date(HISTORY_START + 7 * 86_400_000); ; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
    const from = Math.max(HISTORY_START, Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1) - 3 * 3_600_000);
    const to = Math.min(SAMPLE_NOW, Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - 3 * 3_600_000);
    if (from >= SAMPLE_NOW) break;
    const rates = new Map<string, number>();
    for (const a of assets) {
      if (a.type !== 'PRINTER' || a.deployedAt === null || a.deployedAt > from || (a.retiredAt !== null && a.retiredAt < to)) continue;
      const mfp = a.kind === 'MFP';
      if (a.model.toner) rates.set(`${a.owner}|${a.model.toner}`, (rates.get(`${a.owner}|${a.model.toner}`) ?? 0) + (mfp ? 0.42 : 0.22));
      if (a.model.drum) rates.set(`${a.owner}|${a.model.drum}`, (rates.get(`${a.owner}|${a.model.drum}`) ?? 0) + 0.035);
    }
    for (const [key, rate] of [...rates.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const quantity = poisson(random, rate);
      const [org, item] = key.split('|');
      if (quantity > 0) demands.push({ item, quantity, at: workingMomentBetween(random, from, to), actor: STORE_KEEPER, fault: null, note: `${item.startsWith('DRM') ? 'Drum' : 'Toner'} teslimi: ${org}` });
    }
    for (const item of STOCK_ITEMS) {
      if (!item.monthly || !item.batch) continue;
      for (let n = poisson(random, item.monthly); n > 0; n--) {
        demands.push({ item: item.code, quantity: intBetween(item.batch[0], item.batch[1]), at: workingMomentBetween(random, from, to), actor: STORE_KEEPER, fault: null, note: 'Kurulum ve kullanıcı talebi' });
      }
    }
  }
  for (const f of faults) {
    if (f.part) demands.push({ item: f.part.item, quantity: f.part.quantity, at: f.part.at, actor: f.part.actor, fault: f, note: 'Arıza için kullanıldı' });
  }
  for (const item of STOCK_ITEMS.filter(() => random() < 0.2)) {
    demands.push({ item: item.code, quantity: [-2, -1, 1, 2][Math.floor(random() * 4)], at: YEAR_END_COUNT_AT, actor: STORE_KEEPER, fault: null, note: 'Yıl sonu sayımı: sayım farkı', adjust: true });
  }
  demands.sort((a, b) => a.at - b.at || a.item.localeCompare(b.item));

  const monthly = new Map<string, number>();
  for (const d of demands) if (!d.adjust) monthly.set(d.item, (monthly.get(d.item) ?? 0) + d.quantity / 24);

  const movements: MovementPlan[] = [];
  const levels = new Map<string, number>();
  const pending = new Map<string, { at: number; quantity: number; no: string }>();
  const lastAt = new Map<string, number>();
  let orders = 0;
  const move = (m: Omit<MovementPlan, 'at'> & { at: number }) => {
    // One movement per item per second: the running level is ordered by time alone.
    const at = Math.max(m.at, (lastAt.get(m.item) ?? 0) + 1000);
    lastAt.set(m.item, at);
    movements.push({ ...m, at });
    levels.set(m.item, (levels.get(m.item) ?? 0) + m.quantity);
  };
  for (const item of STOCK_ITEMS) move({ item: item.code, kind: 'IN', quantity: item.opening, at: OPENING_AT, actor: STORE_KEEPER, fault: null, note: 'Devir: 22.11.2024 sayım bakiyesi' });

  const deliver = (code: string, until: number) => {
    const order = pending.get(code);
    if (order && order.at <= until) {
      move({ item: code, kind: 'IN', quantity: order.quantity, at: order.at, actor: STORE_KEEPER, fault: null, note: `Satın alma (doğrudan temin) DT-${order.no}` });
      pending.delete(code);
    }
  };
  for (const d of demands) {
    const item = STOCK_ITEMS.find((i) => i.code === d.item);
    if (!item) throw new Error(`no stock item ${d.item}`);
    deliver(d.item, d.at);
    const level = levels.get(d.item) ?? 0;
    if (d.adjust) {
      const quantity = level + d.quantity < 0 ? 1 : d.quantity;
      move({ item: d.item, kind: 'ADJUST', quantity, at: d.at, actor: d.actor, fault: null, note: d.note });
      continue;
    }
    let quantity = d.quantity;
    if (level < quantity) {
      if (d.fault) {
        move({ item: d.item, kind: 'IN', quantity: quantity - level, at: d.at - 20 * 60_000, actor: STORE_KEEPER, fault: null, note: 'Arıza için acil alım (doğrudan temin)' });
      } else {
        quantity = level;
      }
    }
    if (quantity > 0) move({ item: d.item, kind: 'OUT', quantity: -quantity, at: d.at, actor: d.actor, fault: d.fault, note: d.note });
    const now = levels.get(d.item) ?? 0;
    if (now < item.minimum && !pending.has(d.item)) {
      const target = item.minimum + Math.ceil((monthly.get(d.item) ?? 0) * 3) + 1;
      const arrives = addWorkingMinutes(d.at, logNormal(random, 10 * 540, 0.5));
      pending.set(d.item, { at: arrives, quantity: Math.max(1, target - now), no: `${localDate(d.at).slice(0, 4)}/${String(++orders).padStart(3, '0')}` });
    }
  }
  for (const item of STOCK_ITEMS) deliver(item.code, SAMPLE_NOW);
  movements.sort((a, b) => a.at - b.at || a.item.localeCompare(b.item));
  return { movements, levels };
}

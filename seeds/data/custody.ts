import type { AssetPlan } from './inventory';
import { seededRandom } from './random';
import { HANDOVERS, PEOPLE, STORE_KEEPER, TECHNICIANS, directorateOf } from './staff';
import { addWorkingMinutes, atLocal, DAY_MS, localDate, SAMPLE_NOW, workingDayFrom, workingMomentBetween } from './time';

/**
 * Custody (zimmet) of the sample assets. Desk equipment is held by a person of the owning
 * directorate (the desks of a directorate shared out among its staff), shared equipment by the unit
 * itself; the store keeper gives it out when it comes into use and takes it back when it is replaced,
 * lost or returned. Some custody changed hands on the way, and three people handed everything they
 * held over to a colleague in one act (devir-teslim).
 */

export interface CustodyPlan {
  asset: AssetPlan;
  holderUser: string | null;
  holderUnit: string | null;
  fromAt: number;
  toAt: number | null;
  givenBy: string;
  returnedBy: string | null;
  /** Index into HANDOVERS of the handover that began this custody. */
  handover: number | null;
  note: string;
  returnNote: string | null;
}

export interface HandoverPlan {
  from: string;
  to: string;
  doneBy: string;
  at: number;
  note: string;
}

const RETURN_NOTES: Record<string, string> = {
  REPLACED: 'Yeni cihaz verildi; eski cihaz depoya iade edildi',
  BROKEN: 'Onarılamaz cihaz hurdaya ayrılmak üzere depoya iade edildi',
  LOST: 'Kayıp tutanağı ile zimmetten düşüldü',
  UNIT_CLOSED: 'Birim kapandı; cihaz depoya iade edildi',
  DECOMMISSIONED: 'Kamera noktası kaldırıldı; cihaz depoya alındı',
};

export function buildCustody(assets: readonly AssetPlan[], remoteUnitOrg: ReadonlyMap<string, string>): { custody: CustodyPlan[]; handovers: HandoverPlan[] } {
  const { random } = seededRandom('kbs-nizip-custody');
  const handovers: HandoverPlan[] = HANDOVERS.map((h) => ({ from: h.from, to: h.to, doneBy: STORE_KEEPER, at: atLocal(workingDayFrom(h.on), 10 * 60), note: h.note }));
  const custody: CustodyPlan[] = [];
  const slipNo = new Map<string, number>();
  const slip = (at: number) => {
    const year = localDate(at).slice(0, 4);
    const n = (slipNo.get(year) ?? 0) + 1;
    slipNo.set(year, n);
    return `Zimmet fişi ZF-${year}/${String(n).padStart(4, '0')}`;
  };
  const staffOf = (directorate: string, at: number) => {
    const day = localDate(at);
    return PEOPLE.filter((p) => directorateOf(p.orgUnit) === directorate && (!p.leftOn || p.leftOn > day)).map((p) => p.username);
  };

  const ordered = [...assets].sort((a, b) => (a.deployedAt ?? 0) - (b.deployedAt ?? 0) || a.inventoryNo.localeCompare(b.inventoryNo));
  for (const asset of ordered) {
    if (!asset.custody || asset.deployedAt === null) continue;
    const start = asset.deployedAt;
    const end = asset.retiredAt;
    const giver = asset.serverRoom || asset.type === 'CAMERA' ? TECHNICIANS[1 + Math.floor(random() * (TECHNICIANS.length - 1))] ?? STORE_KEEPER : STORE_KEEPER;
    const closing = end === null ? null : RETURN_NOTES[asset.retiredBecause ?? 'REPLACED'];
    if ('unit' in asset.custody) {
      custody.push({ asset, holderUser: null, holderUnit: asset.custody.unit, fromAt: start, toAt: end, givenBy: giver, returnedBy: end === null ? null : STORE_KEEPER, handover: null, note: slip(start), returnNote: closing });
      continue;
    }
    const [place, deskNo] = asset.custody.desk.split('#');
    const directorate = remoteUnitOrg.get(place) ?? place;
    const desk = Number(deskNo);
    const holderAt = (t: number) => {
      const people = staffOf(directorate, t);
      return people[desk % people.length];
    };

    // The story of one asset's holders: who got it, a change of holder now and then, the handovers.
    let holder = holderAt(start);
    let from = start;
    let began: number | null = null;
    let note = slip(start);
    const changes: Array<{ at: number; to: string; handover: number | null; note: string }> = [];
    const last = end ?? SAMPLE_NOW;
    if (last - start > 240 * DAY_MS && random() < 0.1) {
      const at = workingMomentBetween(random, start + 60 * DAY_MS, last - 30 * DAY_MS);
      const others = staffOf(directorate, at).filter((p) => p !== holder);
      if (others.length) changes.push({ at, to: others[Math.floor(random() * others.length)], handover: null, note: 'Görev değişikliği nedeniyle iade' });
    }
    handovers.forEach((h, i) => {
      if (h.at > start && h.at < last) changes.push({ at: h.at, to: h.to, handover: i, note: h.note });
    });
    changes.sort((a, b) => a.at - b.at);
    for (const c of changes) {
      if (c.handover !== null && handovers[c.handover].from !== holder) continue;
      if (c.handover === null && c.to === holder) continue;
      custody.push({ asset, holderUser: holder, holderUnit: null, fromAt: from, toAt: c.at, givenBy: STORE_KEEPER, returnedBy: STORE_KEEPER, handover: began, note, returnNote: c.note });
      holder = c.to;
      // A holder change by the store takes a working hour; a handover moves custody in the same act.
      from = c.handover === null ? addWorkingMinutes(c.at, 60) : c.at;
      began = c.handover;
      note = c.handover === null ? slip(from) : `Devir-teslim: ${handovers[c.handover].from} → ${c.to}`;
    }
    custody.push({ asset, holderUser: holder, holderUnit: null, fromAt: from, toAt: end, givenBy: STORE_KEEPER, returnedBy: end === null ? null : STORE_KEEPER, handover: began, note, returnNote: closing });
  }
  return { custody, handovers };
}

import type { AssetPlan, AssetState } from './inventory';
import { IT_HEAD, STORE_KEEPER } from './staff';
import { addDays, atLocal, localDate, SAMPLE_NOW } from './time';

/**
 * Disposal (hurdaya ayırma) of the sample assets: the IT directorate proposes, a disposal board
 * (kayıttan düşme komisyonu) decides a few times a year, and the store delivers what was approved
 * to the scrap buyer some weeks later. A proposal waits for the first board at least two weeks
 * after it; a board after the sample's today has not met yet.
 */

export interface Board {
  decisionNo: string;
  decidedOn: string;
  executedOn: string;
}

export const BOARDS: readonly Board[] = [
  { decisionNo: 'KDT-2023/12', decidedOn: '2023-12-19', executedOn: '2024-01-30' },
  { decisionNo: 'KDT-2024/06', decidedOn: '2024-06-18', executedOn: '2024-07-23' },
  { decisionNo: 'KDT-2025/03', decidedOn: '2025-03-18', executedOn: '2025-04-08' },
  { decisionNo: 'KDT-2025/11', decidedOn: '2025-10-14', executedOn: '2025-11-20' },
  { decisionNo: 'KDT-2026/02', decidedOn: '2026-02-24', executedOn: '2026-03-31' },
  { decisionNo: 'KDT-2026/06', decidedOn: '2026-06-16', executedOn: '2026-07-14' },
  { decisionNo: 'KDT-2026/09', decidedOn: '2026-11-12', executedOn: '2026-12-15' },
];

export type DisposalState = 'PROPOSED' | 'APPROVED' | 'REJECTED' | 'EXECUTED';

export interface DisposalPlan {
  inventoryNo: string;
  state: DisposalState;
  reason: string;
  proposedBy: string;
  proposedAt: number;
  decisionNo: string | null;
  decisionDate: string | null;
  decidedBy: string | null;
  executedAt: number | null;
  executedBy: string | null;
  stateBefore: AssetState;
}

const REASONS: Record<string, string> = {
  REPLACED: 'Ekonomik ömrünü tamamladı; yenisiyle değiştirildi, depoya iade edildi.',
  DECOMMISSIONED: 'Kamera noktası kaldırıldı; cihaz eski ve yeniden kullanılamaz durumda.',
  BROKEN: 'Yetkili servis raporuna göre ekonomik olarak onarılamaz.',
  REVIEW: 'Cihaz eski ve sık arıza veriyor; hurdaya ayrılması önerildi.',
};

/** The disposal of an asset proposed at `proposedAt`, as far as it has gone by the sample's today. */
export function planDisposal(asset: AssetPlan, proposedAt: number, why: keyof typeof REASONS, rejected = false): DisposalPlan {
  const earliest = addDays(localDate(proposedAt), 14);
  const board = BOARDS.find((b) => b.decidedOn >= earliest);
  const decided = board && atLocal(board.decidedOn, 15 * 60) <= SAMPLE_NOW ? board : null;
  const executedAt = decided && !rejected ? atLocal(decided.executedOn, 10 * 60) : null;
  const executed = executedAt !== null && executedAt <= SAMPLE_NOW;
  return {
    inventoryNo: asset.inventoryNo,
    state: !decided ? 'PROPOSED' : rejected ? 'REJECTED' : executed ? 'EXECUTED' : 'APPROVED',
    reason: REASONS[why],
    proposedBy: STORE_KEEPER,
    proposedAt,
    decisionNo: decided?.decisionNo ?? null,
    decisionDate: decided?.decidedOn ?? null,
    decidedBy: decided ? IT_HEAD : null,
    executedAt: executed ? executedAt : null,
    executedBy: executed ? STORE_KEEPER : null,
    stateBefore: why === 'REPLACED' || why === 'DECOMMISSIONED' ? 'IN_STOCK' : 'IN_USE',
  };
}

/** The asset state a disposal leaves (null: the disposal does not decide it). */
export function stateAfter(d: DisposalPlan): AssetState | null {
  if (d.state === 'EXECUTED') return 'DISPOSED';
  if (d.state === 'PROPOSED' || d.state === 'APPROVED') return 'PENDING_DISPOSAL';
  return null;
}

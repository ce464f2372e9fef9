import type { Knex } from 'knex';
import { buildCustody, type CustodyPlan, type HandoverPlan } from './custody';
import { planDisposal, stateAfter, type DisposalPlan } from './disposals';
import { OPEN_STATES, simulateFaults, type FaultPlan, type FaultState } from './faults';
import { buildInventory, type AssetPlan, type AssetState, type CameraInput, type RemoteUnitInput } from './inventory';
import { seededRandom } from './random';
import { simulateStock, type MovementPlan } from './stock';
import { directorateOf } from './staff';
import { addWorkingMinutes, atLocal, logNormal, SAMPLE_NOW } from './time';

/**
 * The sample IT registers as one story, built in memory from the camera layer and the remote units
 * the earlier seeds wrote: the inventory, two years of its faults, the disposals they and the
 * replacements led to, custody, and the store's movements. Every asset's state is the one its story
 * ends in, so the registers agree with each other. Seeds 09–11 each write their part of it.
 */
export interface Registers {
  assets: AssetPlan[];
  disposals: DisposalPlan[];
  faults: FaultPlan[];
  custody: CustodyPlan[];
  handovers: HandoverPlan[];
  movements: MovementPlan[];
  /** Each stock item's level on the sample's today. */
  levels: Map<string, number>;
}

const FAULT_ASSET_STATE: Partial<Record<FaultState, AssetState>> = {
  NEW: 'FAULTY', ASSIGNED: 'FAULTY', REOPENED: 'FAULTY', IN_PROGRESS: 'IN_REPAIR', WAITING_PARTS: 'IN_REPAIR', WAITING_VENDOR: 'AT_VENDOR',
};

export function buildRegisters(cameras: readonly CameraInput[], remoteUnits: readonly RemoteUnitInput[]): Registers {
  const { random } = seededRandom('kbs-nizip-disposals');
  const assets = buildInventory(cameras, remoteUnits);

  // Two old computers were proposed for disposal, but the board found them still usable.
  const review = assets.filter((a) => a.type === 'COMPUTER' && a.purchasedOn < '2016-06-01' && a.retiredAt === null && a.remoteUnit === null && a.deployedAt !== null).slice(0, 2);
  const rejected = review.map((a, i) => {
    const proposedAt = atLocal(`2025-09-${15 + 3 * i}`, 10 * 60);
    const plan = planDisposal(a, proposedAt, 'REVIEW', true);
    a.blackouts.push([proposedAt, atLocal(plan.decisionDate ?? '2025-10-14', 17 * 60)]);
    return plan;
  });

  const faults = simulateFaults(assets);

  // Replaced, removed and written-off equipment goes to the disposal board once proposed.
  const disposals: DisposalPlan[] = [...rejected];
  for (const a of assets) {
    if (a.retiredAt === null || !(a.retiredBecause === 'REPLACED' || a.retiredBecause === 'DECOMMISSIONED' || a.retiredBecause === 'BROKEN')) continue;
    const proposedAt = a.retiredBecause === 'BROKEN' ? a.retiredAt : addWorkingMinutes(a.retiredAt, logNormal(random, 8 * 540, 0.7));
    if (proposedAt <= SAMPLE_NOW) disposals.push(planDisposal(a, proposedAt, a.retiredBecause));
  }

  const openFault = new Map<AssetPlan, FaultState>();
  for (const f of faults) if (f.asset && OPEN_STATES.includes(f.state)) openFault.set(f.asset, f.state);
  const disposalOf = new Map(disposals.map((d) => [d.inventoryNo, d]));
  for (const a of assets) {
    const d = disposalOf.get(a.inventoryNo);
    const open = openFault.get(a);
    const settled = d ? stateAfter(d) : null;
    if (settled) a.state = settled;
    else if (open) a.state = FAULT_ASSET_STATE[open] ?? 'FAULTY';
    else if (a.retiredAt !== null && a.retiredBecause !== 'LOST') a.state = 'IN_STOCK';
    if (a.state === 'DISPOSED') a.notes = `Kayıttan düşüldü: ${d?.decisionNo} (${d?.decisionDate})`;
    else if (a.state === 'PENDING_DISPOSAL') a.notes = d?.decisionNo ? `Hurdaya ayrılması onaylandı: ${d.decisionNo}; teslim bekliyor` : 'Hurdaya ayırma teklif edildi; komisyon kararı bekleniyor';
    else if (a.state === 'IN_STOCK' && a.retiredBecause === 'REPLACED') a.notes = 'Yenisiyle değiştirildi; depoda, hurdaya ayırma teklifi hazırlanıyor';
  }

  const remoteUnitOrg = new Map(remoteUnits.map((u) => [u.code, directorateOf(u.org)]));
  const { custody, handovers } = buildCustody(assets, remoteUnitOrg);
  const { movements, levels } = simulateStock(assets, faults);
  return { assets, disposals, faults, custody, handovers, movements, levels };
}

let cached: { key: string; registers: Registers } | null = null;

/** The registers for the cameras and remote units now in the database (built once per run of the seeds). */
export async function registersFor(knex: Knex): Promise<Registers> {
  const { rows: cameras } = await knex.raw(
    `SELECT c.code, c.name, c.kind, c.purpose, c.status, to_char(c.installed_on, 'YYYY-MM-DD') AS "installedOn", c.recorder,
            substring(c.stream_url from '//([0-9.]+)') AS ip, coalesce(o.code, 'BIM') AS owner
     FROM cameras c LEFT JOIN org_units o ON o.id = c.owner_org_unit_id
     ORDER BY c.code`,
  );
  const { rows: units } = await knex.raw(
    `SELECT r.code, r.name, o.code AS org, r.status, r.internet_line AS "internetLine"
     FROM remote_units r JOIN org_units o ON o.id = r.org_unit_id
     ORDER BY r.code`,
  );
  const key = JSON.stringify([cameras, units]);
  if (cached?.key !== key) cached = { key, registers: buildRegisters(cameras as CameraInput[], units as RemoteUnitInput[]) };
  return cached.registers;
}

/** ISO timestamp (UTC) for timestamptz columns. */
export const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

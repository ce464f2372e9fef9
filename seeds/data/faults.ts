import { FAULTS_PER_YEAR, PLACE_FAULTS, TEMPLATES, type Category, type FaultTemplate, type Priority } from './fault-templates';
import type { AssetPlan, AssetState } from './inventory';
import { seededRandom } from './random';
import { PEOPLE, TECHNICAL_CHIEF, TECHNICIANS, directorateOf } from './staff';
import { STOCK_ITEMS } from './stock-items';
import { addDays, addWorkingMinutes, atLocal, DAY_MS, HISTORY_START, localDate, logNormal, poisson, SAMPLE_NOW, workingDayFrom, workingMomentBetween } from './time';
import { VENDORS, vendorByKey, type VendorKey } from './vendors';

/**
 * Two years of faults (arıza) on the sample assets: each asset fails now and then (printers and
 * computers most, older ones more), in working hours; every fault walks the workflow one event at a
 * time (reported, assigned to a technician, worked on, maybe waiting for parts or a vendor, resolved,
 * sometimes reopened, closed; a few cancelled) with log-normal durations, urgent ones round the
 * clock. The sample's today cuts the story: what has not happened by then has not happened, so the
 * latest faults are still open, in whatever state they have reached.
 */

export type FaultState = 'NEW' | 'ASSIGNED' | 'IN_PROGRESS' | 'WAITING_PARTS' | 'WAITING_VENDOR' | 'RESOLVED' | 'CLOSED' | 'REOPENED' | 'CANCELLED';

export interface FaultEvent {
  at: number;
  actor: string;
  from: FaultState | null;
  to: FaultState;
  note: string | null;
}

export interface RepairPlan {
  vendor: VendorKey;
  basis: 'WARRANTY' | 'MAINTENANCE_CONTRACT' | 'PAID';
  sentOn: string;
  sentAt: number;
  expectedBackOn: string;
  returnedOn: string | null;
  returnedAt: number | null;
  outcome: 'REPAIRED' | 'REPLACED' | 'NOT_REPAIRABLE' | null;
  costTry: number | null;
  notes: string;
}

export interface FaultPlan {
  asset: AssetPlan | null;
  place: { square: string; bearing: number; distanceM: number } | null;
  /** Where the fault was when that is not where its asset is now (a closed remote unit's equipment). */
  remoteUnitAt: string | null;
  owner: string;
  reportedBy: string;
  category: Category;
  priority: Priority;
  description: string;
  state: FaultState;
  assignee: string | null;
  cause: string | null;
  resolution: string | null;
  stateBefore: AssetState | null;
  reportedAt: number;
  assignedAt: number | null;
  startedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  cancelledAt: number | null;
  reopenCount: number;
  events: FaultEvent[];
  repair: RepairPlan | null;
  /** A part taken from the store for this fault. */
  part: { item: string; quantity: number; at: number; actor: string } | null;
  /** When its whole story ends (Infinity: it is held open today). */
  endsAt: number;
}

export const OPEN_STATES: readonly FaultState[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_PARTS', 'WAITING_VENDOR', 'REOPENED'];

/** Median minutes from report to assignment and from assignment to the start of work, by priority. */
const ASSIGN: Record<Priority, number> = { URGENT: 10, HIGH: 25, NORMAL: 50, LOW: 120 };
const START: Record<Priority, number> = { URGENT: 10, HIGH: 30, NORMAL: 70, LOW: 200 };
const PRIORITIES: readonly Priority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
const CRITICAL_KINDS = new Set(['SERVER', 'STORAGE', 'CORE_SWITCH', 'FIREWALL', 'ROUTER', 'ROOM_UPS', 'PBX', 'NVR', 'MODEM_FIBER', 'MODEM_XDSL', 'MODEM_LTE']);
/** Equipment a vendor replaces rather than writes off. */
const NEVER_WRITTEN_OFF = new Set(['CAMERA', 'NVR', 'SERVER', 'OTHER', 'UPS', 'PBX', 'FIREWALL', 'SWITCH', 'ROUTER']);
const YEAR_MS = 365.25 * DAY_MS;
const BASIS_TR = { WARRANTY: 'garanti kapsamında', MAINTENANCE_CONTRACT: 'bakım sözleşmesi kapsamında', PAID: 'ücretli onarım' } as const;

export function simulateFaults(assets: readonly AssetPlan[]): FaultPlan[] {
  const { random, pick } = seededRandom('kbs-nizip-faults');
  const lognormal = (median: number, sigma: number) => logNormal(random, median, sigma);
  const faults: FaultPlan[] = [];
  const usedSeconds = new Set<number>();
  const itemName = new Map(STOCK_ITEMS.map((i) => [i.code, i.name]));

  /** A report time, unique to the second across the sample (it identifies the fault in later seeds). */
  function uniqueTime(t: number): number {
    let s = Math.floor(t / 1000);
    while (usedSeconds.has(s)) s++;
    usedSeconds.add(s);
    return s * 1000;
  }

  const staffOf = (directorate: string, at: number): string[] => {
    const day = localDate(at);
    const people = PEOPLE.filter((p) => directorateOf(p.orgUnit) === directorate && (!p.leftOn || p.leftOn > day));
    return people.length ? people.map((p) => p.username) : [TECHNICAL_CHIEF];
  };
  const oneOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

  function chooseRepair(asset: AssetPlan, at: number, force: boolean): Pick<RepairPlan, 'vendor' | 'basis'> | null {
    const day = localDate(at);
    const service = VENDORS.find((v) => v.serviceFor?.some((brand) => asset.model.make.startsWith(brand)));
    if (day <= asset.warrantyEndsOn && (force || random() < 0.6)) return { vendor: service?.key ?? asset.model.supplier, basis: 'WARRANTY' };
    const contract = VENDORS.find((v) => v.contract && v.contract.covers.includes(asset.type) && v.contract.from <= day && day <= v.contract.to);
    if (contract && (force || random() < 0.5)) return { vendor: contract.key, basis: 'MAINTENANCE_CONTRACT' };
    if (force || random() < 0.15) return { vendor: service?.key ?? asset.model.supplier, basis: 'PAID' };
    return null;
  }

  interface Story {
    reportedAt: number;
    owner: string;
    template: FaultTemplate;
    asset: AssetPlan | null;
    /** Stop in this state and stay there (a fault open today). */
    hold?: FaultState;
  }

  function tell(s: Story): FaultPlan {
    const reporter = oneOf(staffOf(s.owner, s.reportedAt));
    let priority = s.template.priority ?? (s.asset && CRITICAL_KINDS.has(s.asset.kind) ? 'HIGH' : 'NORMAL');
    const shift = random();
    const level = PRIORITIES.indexOf(priority) + (shift < 0.08 ? 1 : shift > 0.88 ? -1 : 0);
    priority = PRIORITIES[Math.min(3, Math.max(0, level))];
    const urgent = priority === 'URGENT';
    const later = (t: number, minutes: number) => (urgent ? t + Math.round(minutes * 60) * 1000 : addWorkingMinutes(t, minutes));

    const events: FaultEvent[] = [];
    let state: FaultState | null = null;
    const go = (at: number, actor: string, to: FaultState, note: string | null = null) => {
      const t = Math.ceil(Math.max(at, (events.at(-1)?.at ?? at - 60_000) + 60_000) / 1000) * 1000;
      events.push({ at: t, actor, from: state, to, note });
      state = to;
      return t;
    };
    let repair: RepairPlan | null = null;
    let part: FaultPlan['part'] = null;
    let resolution = s.template.resolution;
    let assignee: string | null = null;
    const plan = (): FaultPlan => finish(s, reporter, priority, assignee, events, repair, part, resolution);

    let t = go(s.reportedAt, reporter, 'NEW');
    if (s.hold === 'NEW') return plan();
    if (!s.hold && random() < 0.04) {
      const byReporter = random() < 0.6;
      go(later(t, lognormal(45, 0.8)), byReporter ? reporter : TECHNICAL_CHIEF, 'CANCELLED', byReporter ? 'Sorun kendiliğinden düzeldi' : 'Mükerrer kayıt');
      return plan();
    }
    const technician = pick(TECHNICIANS.map((u) => [u, u === TECHNICAL_CHIEF ? 0.5 : 1] as const));
    assignee = technician;
    const assigner = random() < 0.7 ? TECHNICAL_CHIEF : technician;
    t = go(later(t, lognormal(ASSIGN[priority], 0.9)), assigner, 'ASSIGNED', assigner === technician ? 'Üzerine aldı' : `Atanan: ${technician}`);
    if (s.hold === 'ASSIGNED') return plan();
    if (!s.hold && random() < 0.012) {
      go(later(t, lognormal(30, 0.8)), technician, 'CANCELLED', 'Yerinde bakıldı: kullanıcı hatası, arıza yok');
      return plan();
    }
    t = go(later(t, lognormal(START[priority], 1.0)), technician, 'IN_PROGRESS');
    if (s.hold === 'IN_PROGRESS') return plan();

    const asset = s.asset;
    const chosen = asset && (s.template.vendor || s.hold === 'WAITING_VENDOR') ? chooseRepair(asset, t, s.hold === 'WAITING_VENDOR') : null;
    const wanted = !chosen && asset && s.template.part ? s.template.part(asset.model, asset.kind) : null;
    let work = lognormal(s.template.work * (urgent ? 0.8 : priority === 'LOW' ? 1.2 : 1), 0.8);
    if (chosen && asset) {
      const vendor = vendorByKey(chosen.vendor);
      t = go(later(t, lognormal(60, 0.6)), technician, 'WAITING_VENDOR', `${vendor.name} servisine gönderildi`);
      const sentOn = localDate(t);
      repair = {
        ...chosen,
        sentOn,
        sentAt: t,
        expectedBackOn: addDays(sentOn, chosen.basis === 'WARRANTY' ? 15 : 10),
        returnedOn: null,
        returnedAt: null,
        outcome: null,
        costTry: null,
        notes: `Servis kaydı ${vendor.key}-${sentOn.slice(0, 4)}-${String(Math.floor(random() * 9000) + 1000)}`,
      };
      if (s.hold === 'WAITING_VENDOR') return plan();
      const r = random();
      let outcome: RepairPlan['outcome'] =
        chosen.basis === 'WARRANTY' ? (r < 0.7 ? 'REPAIRED' : 'REPLACED') : chosen.basis === 'MAINTENANCE_CONTRACT' ? (r < 0.9 ? 'REPAIRED' : 'NOT_REPAIRABLE') : r < 0.7 ? 'REPAIRED' : 'NOT_REPAIRABLE';
      if (outcome === 'NOT_REPAIRABLE' && NEVER_WRITTEN_OFF.has(asset.type)) outcome = 'REPLACED';
      const back = workingDayFrom(addDays(sentOn, Math.max(2, Math.round(lognormal(9, 0.5)))));
      t = go(atLocal(back, 10 * 60 + random() * 360), technician, 'IN_PROGRESS', `Servisten döndü (${outcome === 'REPAIRED' ? 'onarıldı' : outcome === 'REPLACED' ? 'yenisiyle değiştirildi' : 'onarılamaz'})`);
      repair.returnedOn = back;
      repair.returnedAt = t;
      repair.outcome = outcome;
      if (chosen.basis === 'PAID') repair.costTry = Math.round(lognormal(1800, 0.6) / 50) * 50;
      resolution =
        outcome === 'NOT_REPAIRABLE' ? 'Servis raporu: ekonomik olarak onarılamaz. Cihaz hurdaya ayrılmak üzere depoya alındı.'
          : outcome === 'REPLACED' ? `Cihaz ${BASIS_TR[chosen.basis]} yenisiyle değiştirildi, kurulumu yapıldı.`
            : `${s.template.resolution} (${vendor.name}, ${BASIS_TR[chosen.basis]})`;
      work = lognormal(40, 0.6);
    } else if (wanted && (random() < 0.12 || s.hold === 'WAITING_PARTS')) {
      t = go(later(t, lognormal(30, 0.6)), technician, 'WAITING_PARTS', `${itemName.get(wanted[0]) ?? wanted[0]} bekleniyor`);
      if (s.hold === 'WAITING_PARTS') return plan();
      t = go(addWorkingMinutes(t, lognormal(3 * 540, 0.6)), technician, 'IN_PROGRESS', 'Parça temin edildi');
      part = { item: wanted[0], quantity: wanted[1], at: t + 5 * 60_000, actor: technician };
      work *= 0.5;
    }
    t = go(later(t, work), technician, 'RESOLVED');
    if (wanted && !part) part = { item: wanted[0], quantity: wanted[1], at: t - 60_000, actor: technician };
    if (random() < 0.05 || s.hold === 'REOPENED') {
      t = go(addWorkingMinutes(t, lognormal(240, 0.8)), reporter, 'REOPENED', 'Sorun tekrarladı');
      if (s.hold === 'REOPENED') return plan();
      t = go(later(t, lognormal(START[priority], 1.0)), technician, 'IN_PROGRESS');
      t = go(later(t, lognormal(s.template.work * 0.7, 0.8)), technician, 'RESOLVED', 'Yeniden müdahale edildi');
    }
    if (random() < 0.65) go(addWorkingMinutes(t, lognormal(180, 1.0)), reporter, 'CLOSED', 'Bildiren onayladı');
    else go(addWorkingMinutes(t, 3 * 540), TECHNICAL_CHIEF, 'CLOSED', '3 iş günü içinde itiraz edilmediği için kapatıldı');
    return plan();
  }

  // Besides what is down (offline cameras and lines), a dozen desk machines have a fault open today.
  const desks = assets.filter((a) => a.state === 'IN_USE' && a.retiredAt === null && a.deployedAt !== null && a.deployedAt < SAMPLE_NOW - 60 * DAY_MS
    && ['COMPUTER', 'LAPTOP', 'MFP', 'DESK_PRINTER', 'SCANNER', 'DESK_UPS'].includes(a.kind));
  const openToday = new Set<AssetPlan>();
  while (openToday.size < 12 && desks.length) openToday.add(desks.splice(Math.floor(random() * desks.length), 1)[0]);

  /** A fault the asset has open today: its template and the state it has reached. */
  function heldStory(asset: AssetPlan, templates: readonly FaultTemplate[]): { template: FaultTemplate; hold: FaultState } {
    let hold = asset.downNow
      ? pick<FaultState>([['NEW', 2], ['ASSIGNED', 3], ['IN_PROGRESS', 3], ['WAITING_PARTS', 1], ['WAITING_VENDOR', 2]])
      : pick<FaultState>([['NEW', 1], ['ASSIGNED', 2], ['IN_PROGRESS', 2], ['WAITING_PARTS', 3], ['WAITING_VENDOR', 2], ['REOPENED', 1]]);
    const fitting = templates.filter((x) => (!asset.downNow || x.category === 'NETWORK' || x.category === 'POWER')
      && (hold !== 'WAITING_PARTS' || x.part?.(asset.model, asset.kind)));
    if (!fitting.length) hold = 'IN_PROGRESS';
    const options = fitting.length ? fitting : templates.filter((x) => !asset.downNow || x.category === 'NETWORK' || x.category === 'POWER');
    return { template: pick((options.length ? options : templates).map((x) => [x, x.weight] as const)), hold };
  }

  // Asset faults: a Poisson number in the asset's working life within the history, one at a time.
  for (const asset of assets) {
    if (asset.deployedAt === null) continue;
    const from = Math.max(HISTORY_START, asset.deployedAt + DAY_MS);
    let until = Math.min(SAMPLE_NOW, asset.retiredAt ?? SAMPLE_NOW);
    const templates = TEMPLATES[asset.kind];
    const story = (reportedAt: number, template: FaultTemplate, hold?: FaultState): Story => ({ reportedAt, owner: asset.owner, template, asset, hold });
    let held: FaultPlan | null = null;
    if (asset.downNow || openToday.has(asset)) {
      // Reported days to weeks ago: most open faults are young, a few have waited long.
      const day = Math.max(HISTORY_START, SAMPLE_NOW - Math.min(60, lognormal(5, 1.0)) * DAY_MS);
      const reportedAt = uniqueTime(workingMomentBetween(random, day, Math.min(day + 2 * DAY_MS, SAMPLE_NOW - 3_600_000)));
      const { template, hold } = heldStory(asset, templates);
      held = tell(story(reportedAt, template, hold));
      until = Math.min(until, reportedAt);
    }
    if (until > from) {
      const age = ((from + until) / 2 - Date.parse(asset.purchasedOn)) / YEAR_MS;
      const count = poisson(random, FAULTS_PER_YEAR[asset.kind] * ((until - from) / YEAR_MS) * (1 + 0.07 * age));
      const times = Array.from({ length: count }, () => workingMomentBetween(random, from, until)).sort((a, b) => a - b);
      let busyUntil = 0;
      for (const at of times) {
        if (at < busyUntil || asset.blackouts.some(([b0, b1]) => at >= b0 - 20 * DAY_MS && at <= b1)) continue;
        if (asset.retiredAt !== null && at >= asset.retiredAt) break;
        const fault = tell(story(uniqueTime(at), pick(templates.map((x) => [x, x.weight] as const))));
        const retiring = asset.retiredAt !== null && fault.endsAt >= asset.retiredAt;
        if (retiring || (held && fault.endsAt >= held.reportedAt)) continue;
        faults.push(fault);
        busyUntil = fault.endsAt;
        if (fault.repair?.outcome === 'NOT_REPAIRABLE' && fault.resolvedAt !== null) {
          // Written off: proposed for disposal once its fault is closed; nothing happens to it after that.
          const proposedAt = addWorkingMinutes(fault.endsAt, lognormal(540, 0.5));
          if (proposedAt <= SAMPLE_NOW) {
            asset.retiredAt = proposedAt;
            asset.retiredBecause = 'BROKEN';
            held = null;
            break;
          }
        }
      }
    }
    if (held) faults.push(held);
  }

  // A few faults on places, not on registered equipment, spread over the two years.
  PLACE_FAULTS.forEach((p, i) => {
    const span = (SAMPLE_NOW - HISTORY_START) / PLACE_FAULTS.length;
    const reportedAt = uniqueTime(workingMomentBetween(random, HISTORY_START + i * span, HISTORY_START + (i + 1) * span - 7 * DAY_MS));
    const fault = tell({ reportedAt, owner: p.owner, template: p.template, asset: null });
    faults.push({ ...fault, place: { square: p.square, bearing: p.bearing, distanceM: p.distanceM } });
  });

  return faults.sort((a, b) => a.reportedAt - b.reportedAt);
}

/** The fault as it stands on the sample's today: later events cut, the record's columns from the events. */
function finish(
  s: { reportedAt: number; owner: string; template: FaultTemplate; asset: AssetPlan | null; hold?: FaultState },
  reporter: string,
  priority: Priority,
  assignee: string | null,
  events: FaultEvent[],
  repair: RepairPlan | null,
  part: FaultPlan['part'],
  resolution: string,
): FaultPlan {
  const kept = events.filter((e) => e.at <= SAMPLE_NOW);
  const state = kept[kept.length - 1].to;
  const first = (to: FaultState) => kept.find((e) => e.to === to)?.at ?? null;
  const last = (to: FaultState) => [...kept].reverse().find((e) => e.to === to)?.at ?? null;
  const done = state === 'RESOLVED' || state === 'CLOSED';
  const sent = first('WAITING_VENDOR');
  const returned = repair && kept.some((e) => e.from === 'WAITING_VENDOR');
  return {
    asset: s.asset,
    place: null,
    remoteUnitAt: s.asset?.usedAtRemoteUnit ?? null,
    owner: s.owner,
    reportedBy: reporter,
    category: s.template.category,
    priority,
    description: s.template.description,
    state,
    assignee: kept.some((e) => e.to === 'ASSIGNED') ? assignee : null,
    cause: done ? s.template.cause : null,
    resolution: done ? resolution : null,
    stateBefore: s.asset ? 'IN_USE' : null,
    reportedAt: s.reportedAt,
    assignedAt: first('ASSIGNED'),
    startedAt: first('IN_PROGRESS'),
    resolvedAt: done ? last('RESOLVED') : null,
    closedAt: first('CLOSED'),
    cancelledAt: first('CANCELLED'),
    reopenCount: kept.filter((e) => e.to === 'REOPENED').length,
    events: kept,
    repair: repair && sent !== null ? (returned ? repair : { ...repair, returnedOn: null, returnedAt: null, outcome: null, costTry: null }) : null,
    part: part && part.at <= SAMPLE_NOW ? part : null,
    endsAt: s.hold ? Infinity : events[events.length - 1].at,
  };
}

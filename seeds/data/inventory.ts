import { CATALOG, TYPE_OF, WARRANTY_YEARS, type AssetType, type Kind, type Model } from './catalog';
import { Identifiers } from './identifiers';
import { DIRECTORATE_SITES, IT_STORE_SITE, SERVER_ROOM_SITE, BUILDINGS, floorName, remoteUnitDesks } from './places';
import { seededRandom } from './random';
import { addDays, atLocal, SAMPLE_NOW, workingDayFrom } from './time';

/**
 * The sample IT inventory (demirbaş) of Nizip Belediyesi: the desks of every directorate and remote
 * unit, shared printers, scanners and network gear, the server room, the camera layer's cameras and
 * their recorders, the IT store, and the older equipment that newer purchases replaced (which ends
 * in a disposal). Pure and seeded: the same inputs give the same assets.
 */

export interface CameraInput {
  code: string;
  name: string;
  kind: string;
  purpose: string;
  status: string;
  installedOn: string | null;
  recorder: string;
  /** The camera's address, from its stream URL. */
  ip: string | null;
  /** Code of the owning directorate. */
  owner: string;
}

export interface RemoteUnitInput {
  code: string;
  name: string;
  /** Code of its directorate. */
  org: string;
  status: string;
  internetLine: string;
}

export type AssetState = 'IN_STOCK' | 'IN_USE' | 'FAULTY' | 'IN_REPAIR' | 'AT_VENDOR' | 'PENDING_DISPOSAL' | 'DISPOSED' | 'LOST';

export interface AssetPlan {
  inventoryNo: string;
  serialNo: string;
  type: AssetType;
  kind: Kind;
  model: Model;
  /** Code of the owning directorate. */
  owner: string;
  remoteUnit: string | null;
  /** Building code (./places) when the asset is in one; else it is at its remote unit or camera pole. */
  building: string | null;
  camera: string | null;
  site: string;
  purchasedOn: string;
  warrantyEndsOn: string;
  ip: string | null;
  mac: string | null;
  /** The state its own story gives it (IN_USE, IN_STOCK, LOST); faults and disposals change it later. */
  state: AssetState;
  notes: string | null;
  /** A desk (someone of the owner's directorate holds it), the owner unit itself, or nobody (the store). */
  custody: { desk: string } | { unit: string } | null;
  deployedAt: number | null;
  /** When it stopped being used, and why; faults happen only before. */
  retiredAt: number | null;
  retiredBecause: 'REPLACED' | 'LOST' | 'UNIT_CLOSED' | 'DECOMMISSIONED' | 'BROKEN' | null;
  /** Where it was used when that was somewhere else than where it is now (a closed remote unit). */
  usedAtRemoteUnit: string | null;
  /** Faults stay out of these periods (a rejected disposal proposal under review). */
  blackouts: Array<[number, number]>;
  /** Down now (an offline camera, an offline unit's modem): it has a fault open today. */
  downNow: boolean;
  serverRoom: boolean;
}

const YEARS = {
  COMPUTER: [[2015, 3], [2016, 6], [2017, 8], [2018, 10], [2019, 12], [2020, 11], [2021, 11], [2022, 11], [2023, 10], [2024, 9], [2025, 7], [2026, 2]],
  PERIPHERAL: [[2015, 5], [2016, 7], [2017, 9], [2018, 10], [2019, 10], [2020, 9], [2021, 10], [2022, 10], [2023, 9], [2024, 8], [2025, 6], [2026, 2]],
  OLD: [[2015, 5], [2016, 4], [2017, 2]],
} as const satisfies Record<string, ReadonlyArray<readonly [number, number]>>;

/** Equipment bought on or after this day replaced something older at the same desk (mostly). */
const REPLACEMENT_FROM = '2023-06-01';
const CLOSED_UNIT_ON = '2026-04-30';

export function buildInventory(cameras: readonly CameraInput[], remoteUnits: readonly RemoteUnitInput[]): AssetPlan[] {
  const { random, intBetween, pick } = seededRandom('kbs-nizip-assets');
  const ids = new Identifiers(random);
  const assets: AssetPlan[] = [];
  const batches = new Map<string, { date: string; model: Model }>();

  /** A purchase: procurement buys one model in a batch, on one day, once or twice a year. */
  function bought(kind: Kind, year: number): { date: string; model: Model } {
    const half = random() < 0.5 ? 0 : 1;
    const key = `${kind}:${year}:${half}`;
    let batch = batches.get(key);
    if (!batch) {
      const month = half === 0 ? intBetween(2, 6) : intBetween(7, year === 2026 ? 9 : 11);
      const date = workingDayFrom(`${year}-${String(month).padStart(2, '0')}-${String(intBetween(1, 28)).padStart(2, '0')}`);
      const models = CATALOG[kind];
      const fits = models.filter((m) => m.from <= year && year <= m.to);
      const options = fits.length ? fits : [models.reduce((a, b) => (Math.abs(b.from - year) < Math.abs(a.from - year) ? b : a))];
      batch = { date, model: options[Math.floor(random() * options.length)] };
      batches.set(key, batch);
    }
    return batch;
  }

  const deployAfter = (date: string, minDays = 5, maxDays = 40): number =>
    Math.min(atLocal(workingDayFrom(addDays(date, intBetween(minDays, maxDays))), 9 * 60 + random() * 420), SAMPLE_NOW - 86_400_000);

  interface AddOptions {
    year?: number;
    purchase?: { date: string; model: Model };
    owner: string;
    site: string;
    custody: AssetPlan['custody'];
    /** The /24 its address comes from; null or absent: no fixed address. */
    net?: string | null;
    ip?: string | null;
    building?: string | null;
    remoteUnit?: string | null;
    camera?: string | null;
    state?: AssetState;
    deployed?: boolean;
    serverRoom?: boolean;
    notes?: string | null;
  }

  function add(kind: Kind, o: AddOptions): AssetPlan {
    const { date, model } = o.purchase ?? bought(kind, o.year ?? pick(YEARS.PERIPHERAL));
    const type = TYPE_OF[kind];
    const years = WARRANTY_YEARS[type] ?? 2;
    const [y, mo, d] = date.split('-').map(Number);
    const asset: AssetPlan = {
      inventoryNo: ids.inventoryNo(type, date),
      serialNo: ids.serial(model.serial),
      type,
      kind,
      model,
      owner: o.owner,
      remoteUnit: o.remoteUnit ?? null,
      building: o.building ?? null,
      camera: o.camera ?? null,
      site: o.site,
      purchasedOn: date,
      warrantyEndsOn: new Date(Date.UTC(y + years, mo - 1, d)).toISOString().slice(0, 10),
      ip: o.ip !== undefined ? o.ip : model.oui && o.net && type !== 'LAPTOP' ? ids.host(o.net) : null,
      mac: model.oui ? ids.mac(model.oui) : null,
      state: o.state ?? 'IN_USE',
      notes: o.notes ?? null,
      custody: o.custody,
      deployedAt: o.deployed === false ? null : deployAfter(date),
      retiredAt: null,
      retiredBecause: null,
      usedAtRemoteUnit: null,
      blackouts: [],
      downNow: false,
      serverRoom: o.serverRoom ?? false,
    };
    assets.push(asset);
    return asset;
  }

  /** Most new desk equipment replaced an older piece: that one was returned and disposed of. */
  function withPredecessor(asset: AssetPlan, chance = 0.8): void {
    if (asset.purchasedOn < REPLACEMENT_FROM || asset.deployedAt === null || random() >= chance) return;
    const old = add(asset.kind, { ...placeOf(asset), year: pick(YEARS.OLD), custody: asset.custody, net: null });
    old.retiredAt = asset.deployedAt;
    old.retiredBecause = 'REPLACED';
  }
  const placeOf = (a: AssetPlan) => ({ owner: a.owner, site: a.site, building: a.building, remoteUnit: a.remoteUnit });

  // Directorates: desks in rooms of their building, shared printers and scanners on the floor.
  Object.entries(DIRECTORATE_SITES).forEach(([org, place], index) => {
    const building = BUILDINGS.find((b) => b.code === place.building)!;
    const lan = `10.10.${index + 1}`;
    const voice = `10.30.${index + 1}`;
    const floor = floorName(place.floor);
    const roomBase = Object.entries(DIRECTORATE_SITES)
      .slice(0, index)
      .filter(([, p]) => p.building === place.building && p.floor === place.floor)
      .reduce((n, [, p]) => n + Math.ceil(p.desks / 3), 0);
    const room = (desk: number) => `${building.name}, ${floor}, oda ${place.floor}${String(roomBase + Math.floor(desk / 3) + 1).padStart(2, '0')}`;
    const common = `${building.name}, ${floor}, ${org === 'BIM' ? 'Bilgi İşlem' : 'müdürlük'} koridoru`;
    const at = { owner: org, building: building.code };
    const fieldWork = ['ZAB', 'FEN', 'IMAR', 'EMLAK'].includes(org);
    const cad = ['FEN', 'IMAR'].includes(org);

    for (let d = 0; d < place.desks; d++) {
      const desk = { desk: `${org}#${d}` };
      const laptop = random() < (fieldWork ? 0.25 : 0.12);
      const workstation = add(laptop ? 'LAPTOP' : 'COMPUTER', { ...at, site: room(d), custody: desk, net: lan, year: pick(YEARS.COMPUTER) });
      if (!laptop) withPredecessor(workstation);
      const screens = laptop ? (random() < 0.5 ? 1 : 0) : random() < (cad ? 0.5 : 0.18) ? 2 : 1;
      for (let s = 0; s < screens; s++) {
        const sameBatch = random() < 0.6 && !laptop;
        const year = sameBatch ? Number(workstation.purchasedOn.slice(0, 4)) : pick(YEARS.PERIPHERAL);
        withPredecessor(add('MONITOR', { ...at, site: room(d), custody: desk, year }));
      }
      if (random() < 0.85) withPredecessor(add('PHONE', { ...at, site: room(d), custody: desk, net: voice }), 0.5);
      if (d % 5 === 0) withPredecessor(add('DESK_PRINTER', { ...at, site: room(d), custody: desk, net: random() < 0.7 ? lan : null }));
    }
    const unit = { unit: org };
    for (let i = 0; i < Math.ceil(place.desks / 6); i++) withPredecessor(add('MFP', { ...at, site: common, custody: unit, net: lan }));
    for (let i = 0; i < Math.ceil(place.desks / 10); i++) withPredecessor(add('SCANNER', { ...at, site: common, custody: unit, net: lan }));
    for (let i = 0; i < Math.ceil(place.desks / 16); i++) {
      add('ACCESS_SWITCH', { ...at, site: `${building.name}, ${floor}, kat dağıtım kabini`, custody: unit, net: '10.0.10' });
    }
    for (let i = 0; i < Math.ceil(place.desks / 4); i++) add('DESK_UPS', { ...at, site: room(i * 4), custody: unit });
    if (place.desks >= 10) add('PROJECTOR', { ...at, site: `${building.name}, ${floor}, toplantı salonu`, custody: unit, net: lan });
  });

  // The server room: servers, storage, core network, firewalls, UPS, the telephone exchange, the NVRs.
  const room = { owner: 'BIM', building: 'HB', custody: { unit: 'SISTEM' }, serverRoom: true };
  const rack = (cabinet: string) => `${SERVER_ROOM_SITE}, kabin ${cabinet}`;
  const fixedIp = (last: number) => `10.0.0.${last}`;
  let serverIp = 21;
  const servers: AssetPlan[] = [];
  for (const [year, count] of [[2016, 2], [2019, 2], [2020, 2], [2022, 2], [2023, 1], [2025, 2]] as const) {
    for (let i = 0; i < count; i++) servers.push(add('SERVER', { ...room, site: rack(`A${servers.length + 1}`), year, ip: fixedIp(serverIp++) }));
  }
  // The 2016 servers were replaced by the 2025 ones.
  for (const [oldOne, newOne] of [[servers[0], servers[9]], [servers[1], servers[10]]]) {
    oldOne.retiredAt = newOne.deployedAt;
    oldOne.retiredBecause = 'REPLACED';
    oldOne.ip = null;
  }
  add('STORAGE', { ...room, site: rack('A6'), year: 2022, ip: fixedIp(61) });
  add('STORAGE', { ...room, site: rack('A7'), year: 2023, ip: fixedIp(62) });
  for (const h of [2, 3]) add('CORE_SWITCH', { ...room, site: rack('B1'), year: 2021, ip: `10.0.10.${h}` });
  add('ACCESS_SWITCH', { ...room, site: rack('B2'), year: 2017, net: '10.0.10' });
  add('ACCESS_SWITCH', { ...room, site: rack('B2'), year: 2017, net: '10.0.10' });
  const newFirewalls = [2, 3].map((h) => add('FIREWALL', { ...room, site: rack('B1'), year: 2022, ip: fixedIp(h) }));
  for (const [i, fw] of newFirewalls.entries()) {
    const old = add('FIREWALL', { ...room, site: rack('B1'), year: 2017, ip: null });
    old.retiredAt = fw.deployedAt;
    old.retiredBecause = 'REPLACED';
    if (i === 0) old.notes = 'HA çiftinin birincil cihazı';
  }
  add('ROUTER', { ...room, site: rack('B3'), year: 2019, ip: fixedIp(252) });
  add('ROUTER', { ...room, site: rack('B3'), year: 2019, ip: fixedIp(253) });
  add('MODEM_FIBER', { ...room, site: rack('B3'), year: 2022, ip: fixedIp(254), notes: 'Ana bina internet hattı (fiber)' });
  add('ROOM_UPS', { ...room, site: `${SERVER_ROOM_SITE}, UPS odası`, year: 2017, ip: fixedIp(241) });
  add('ROOM_UPS', { ...room, site: `${SERVER_ROOM_SITE}, UPS odası`, year: 2017, ip: fixedIp(242) });
  add('ROOM_UPS', { ...room, site: `${SERVER_ROOM_SITE}, UPS odası`, year: 2021, ip: fixedIp(243) });
  add('ROOM_UPS', { ...room, site: `${SERVER_ROOM_SITE}, UPS odası`, year: 2021, ip: fixedIp(244) });
  add('PBX', { ...room, site: rack('C2'), year: 2016, ip: fixedIp(50), notes: 'Belediye santrali: 8 dış hat, 300 dahili' });
  const recorders = [...new Set(cameras.map((c) => c.recorder))].sort();
  recorders.forEach((recorder, i) => {
    const n = Number(recorder.replace(/\D/g, '')) || i + 1;
    add('NVR', { ...room, site: `${rack('C1')} (${recorder})`, year: i < recorders.length / 2 ? 2018 : 2021, ip: `10.20.${n}.250`, notes: recorder });
  });

  // The camera layer: one asset per camera, at its pole; a planned camera waits in the store.
  for (const cam of cameras) {
    const kind: Kind =
      cam.purpose === 'TRAFFIC' && random() < 0.5 ? 'CAMERA_TRAFFIC'
        : (`CAMERA_${cam.kind}` as Kind) in CATALOG ? (`CAMERA_${cam.kind}` as Kind) : 'CAMERA_FIXED';
    const planned = cam.status === 'PLANNED' || !cam.installedOn;
    const installed = cam.installedOn ?? `2026-0${intBetween(3, 9)}-${String(intBetween(1, 28)).padStart(2, '0')}`;
    const date = workingDayFrom(addDays(installed, -intBetween(10, 45)));
    const year = Number(date.slice(0, 4));
    const models = CATALOG[kind].filter((m) => m.from <= year);
    const model = models[Math.floor(random() * models.length)] ?? CATALOG[kind][0];
    const asset = add(kind, {
      purchase: { date, model },
      owner: cam.owner,
      camera: cam.code,
      site: planned ? `${IT_STORE_SITE} (${cam.name} için, montaj bekliyor)` : `${cam.name} direği`,
      building: planned ? 'HB' : null,
      custody: planned ? null : { unit: cam.owner },
      ip: planned ? null : cam.ip,
      state: planned ? 'IN_STOCK' : 'IN_USE',
      deployed: !planned,
    });
    if (!planned) asset.deployedAt = Math.min(atLocal(workingDayFrom(installed), 10 * 60), asset.deployedAt ?? SAMPLE_NOW);
    if (cam.status === 'DECOMMISSIONED') {
      asset.retiredAt = atLocal(workingDayFrom(`2026-0${intBetween(1, 8)}-${String(intBetween(1, 28)).padStart(2, '0')}`), 11 * 60);
      asset.retiredBecause = 'DECOMMISSIONED';
      asset.ip = null;
    }
    asset.downNow = cam.status === 'OFFLINE' && random() < 0.6;
  }

  // Remote units: a few desks, a printer, the internet line's modem, a small switch and a UPS.
  for (const unit of remoteUnits) {
    if (unit.status === 'PLANNED') continue;
    const net = `10.40.${Number(unit.code.replace(/\D/g, ''))}`;
    const at = { owner: unit.org, remoteUnit: unit.code };
    const desks = remoteUnitDesks(unit.name);
    const made: AssetPlan[] = [];
    for (let d = 0; d < desks; d++) {
      const desk = { desk: `${unit.code}#${d}` };
      const site = `${unit.name}, ofis`;
      made.push(add('COMPUTER', { ...at, site, custody: desk, net, year: pick(YEARS.COMPUTER) }));
      made.push(add('MONITOR', { ...at, site, custody: desk }));
      if (random() < 0.6) made.push(add('PHONE', { ...at, site, custody: desk, net }));
    }
    const shared = { unit: unit.org };
    made.push(add(desks > 1 ? 'MFP' : 'DESK_PRINTER', { ...at, site: `${unit.name}, ofis`, custody: shared, net }));
    const modem: Kind = unit.internetLine === 'LTE' ? 'MODEM_LTE' : unit.internetLine === 'XDSL' ? 'MODEM_XDSL' : 'MODEM_FIBER';
    const line = add(modem, { ...at, site: `${unit.name}, iletişim dolabı`, custody: shared, ip: `${net}.1` });
    made.push(line);
    made.push(add('SMALL_SWITCH', { ...at, site: `${unit.name}, iletişim dolabı`, custody: shared }));
    made.push(add('RACK_UPS', { ...at, site: `${unit.name}, iletişim dolabı`, custody: shared }));
    line.downNow = unit.status === 'OFFLINE';
    if (unit.status === 'CLOSED') {
      // The unit was closed: its equipment came back to the IT store.
      const closedAt = atLocal(workingDayFrom(CLOSED_UNIT_ON), 14 * 60);
      for (const a of made) {
        Object.assign(a, { building: 'HB', remoteUnit: null, usedAtRemoteUnit: unit.code, site: IT_STORE_SITE, state: 'IN_STOCK', ip: null });
        a.notes = `${unit.name} (${unit.code}) kapatıldı; ${CLOSED_UNIT_ON} tarihinde depoya iade edildi`;
        if (a.deployedAt !== null && a.deployedAt < closedAt) {
          a.retiredAt = closedAt;
          a.retiredBecause = 'UNIT_CLOSED';
        } else {
          a.deployedAt = null;
        }
      }
    }
  }

  // The IT store: this year's purchases waiting to be given out, and spares.
  const store = { owner: 'BIM', building: 'HB', site: IT_STORE_SITE, custody: null, state: 'IN_STOCK' as const, deployed: false, notes: 'Dağıtım bekliyor' };
  const stock: Array<[Kind, number, number]> = [['COMPUTER', 2026, 10], ['MONITOR', 2026, 10], ['PHONE', 2026, 6], ['DESK_PRINTER', 2026, 3], ['DESK_UPS', 2026, 4], ['LAPTOP', 2026, 2], ['ACCESS_SWITCH', 2025, 2]];
  for (const [kind, year, count] of stock) {
    const purchase = bought(kind, year);
    for (let i = 0; i < count; i++) add(kind, { ...store, purchase, notes: kind === 'ACCESS_SWITCH' ? 'Yedek cihaz' : store.notes });
  }

  // A few laptops and phones were lost in the field.
  const losable = assets.filter((a) => (a.type === 'LAPTOP' || a.type === 'PHONE') && a.state === 'IN_USE' && a.retiredAt === null && a.deployedAt !== null);
  for (let n = 0; n < 4 && losable.length; n++) {
    const a = losable.splice(Math.floor(random() * losable.length), 1)[0];
    const lostOn = workingDayFrom(addDays('2025-03-01', intBetween(0, 560)));
    if (a.deployedAt === null || atLocal(lostOn, 0) <= a.deployedAt) continue;
    a.state = 'LOST';
    a.retiredAt = atLocal(lostOn, 15 * 60);
    a.retiredBecause = 'LOST';
    a.ip = null;
    a.notes = `${lostOn} tarihli kayıp tutanağı: saha çalışması sırasında kayboldu`;
  }

  assets.forEach((a) => {
    if (a.retiredBecause === 'REPLACED' || a.retiredBecause === 'DECOMMISSIONED') a.ip = null;
  });
  return assets;
}

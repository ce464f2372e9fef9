import { hashPassword } from '../../src/common/auth/password';
import type { Knex } from 'knex';

let counter = 0;
const next = () => ++counter;

/** A neighbourhood from a box in lon/lat. */
export async function insertNeighbourhood(
  knex: Knex,
  box: [number, number, number, number],
  attrs: Partial<{ name: string; code: string; district: string; population: number }> = {},
): Promise<number> {
  const n = next();
  const [row] = await knex('neighbourhoods')
    .insert({
      code: attrs.code ?? `T-M${n}`,
      name: attrs.name ?? `Test ${n}`,
      district: attrs.district ?? 'Nizip',
      province: 'Gaziantep',
      population: attrs.population ?? null,
      geom: knex.raw('ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 4326))', box),
    })
    .returning('id');
  return row.id;
}

export interface CameraAttrs {
  name: string;
  code: string;
  kind: string;
  purpose: string;
  status: string;
  azimuth: number;
  horizontal_fov: number;
  range_m: number;
  recorder: string;
  stream_url: string;
}

/** A camera at lon/lat (x, y). */
export async function insertCamera(knex: Knex, x: number, y: number, attrs: Partial<CameraAttrs> = {}): Promise<number> {
  const n = next();
  const [row] = await knex('cameras')
    .insert({
      code: attrs.code ?? `T-KAM-${n}`,
      name: attrs.name ?? `Test camera ${n}`,
      kind: attrs.kind ?? 'FIXED',
      purpose: attrs.purpose ?? 'SECURITY',
      status: attrs.status ?? 'ACTIVE',
      azimuth: attrs.azimuth ?? 90,
      horizontal_fov: attrs.horizontal_fov ?? 60,
      range_m: attrs.range_m ?? 50,
      mount_height_m: 6,
      recorder: attrs.recorder ?? 'NVR-01',
      recorder_channel: n % 32,
      stream_url: attrs.stream_url ?? `rtsp://10.20.1.${n % 250}:554/Streaming/Channels/101`,
      geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [x, y]),
    })
    .returning('id');
  return row.id;
}

/** Metres per degree of longitude at latitude `lat` on the WGS84 ellipsoid (for independent checks). */
export function metresPerDegreeLon(lat: number): number {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (lat * Math.PI) / 180;
  return ((Math.PI / 180) * a * Math.cos(phi)) / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
}

/** A directorate (or unit) by code. */
export async function insertOrgUnit(knex: Knex, code: string, name = `${code} Müdürlüğü`): Promise<number> {
  const [row] = await knex('org_units').insert({ code, name }).returning('id');
  return row.id;
}

/** A network node at lon/lat (x, y). */
export async function insertNetworkNode(
  knex: Knex,
  x: number,
  y: number,
  attrs: Partial<{ code: string; name: string; kind: string; status: string }> = {},
): Promise<number> {
  const n = next();
  const [row] = await knex('network_nodes')
    .insert({
      code: attrs.code ?? `T-NN-${n}`,
      name: attrs.name ?? `Node ${n}`,
      kind: attrs.kind ?? 'CABINET',
      status: attrs.status ?? 'ACTIVE',
      geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [x, y]),
    })
    .returning('id');
  return row.id;
}

/** A remote unit at lon/lat (x, y). */
export async function insertRemoteUnit(
  knex: Knex,
  x: number,
  y: number,
  orgUnitId: number,
  attrs: Partial<{ code: string; name: string; status: string; isp: string; address_mahalle: string; address_street: string }> = {},
): Promise<number> {
  const n = next();
  const [row] = await knex('remote_units')
    .insert({
      code: attrs.code ?? `T-UB-${n}`,
      name: attrs.name ?? `Unit ${n}`,
      org_unit_id: orgUnitId,
      status: attrs.status ?? 'ACTIVE',
      isp: attrs.isp ?? 'Türk Telekom',
      internet_line: 'FIBER',
      bandwidth_mbps: 100,
      address_mahalle: attrs.address_mahalle ?? null,
      address_street: attrs.address_street ?? null,
      address_door_no: '12',
      geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [x, y]),
    })
    .returning('id');
  return row.id;
}

type End = { node: number } | { unit: number };

/** A network line between two ends, along lon/lat vertices. */
export async function insertNetworkLine(
  knex: Knex,
  a: End,
  z: End,
  vertices: [number, number][],
  attrs: Partial<{ code: string; name: string; medium: string; provider: string; status: string; circuit_id: string }> = {},
): Promise<number> {
  const n = next();
  const wkt = `LINESTRING(${vertices.map(([x, y]) => `${x} ${y}`).join(', ')})`;
  const [row] = await knex('network_lines')
    .insert({
      code: attrs.code ?? `T-HAT-${n}`,
      name: attrs.name ?? `Line ${n}`,
      medium: attrs.medium ?? 'FIBER',
      provider: attrs.provider ?? null,
      circuit_id: attrs.circuit_id ?? null,
      status: attrs.status ?? 'ACTIVE',
      a_node_id: 'node' in a ? a.node : null,
      a_remote_unit_id: 'unit' in a ? a.unit : null,
      z_node_id: 'node' in z ? z.node : null,
      z_remote_unit_id: 'unit' in z ? z.unit : null,
      geom: knex.raw('ST_GeomFromText(?, 4326)', [wkt]),
    })
    .returning('id');
  return row.id;
}

/** A parcel from a lon/lat box; registered area defaults to the geodesic area. */
export async function insertParcel(
  knex: Knex,
  box: [number, number, number, number],
  attrs: { mahalle: string; ada: number; parsel: number } & Partial<{ nitelik: string; registeredFactor: number }>,
): Promise<number> {
  const geom = knex.raw('ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 4326))', box);
  const [row] = await knex('parcels')
    .insert({
      province: 'Gaziantep',
      district: 'Nizip',
      mahalle: attrs.mahalle,
      ada: attrs.ada,
      parsel: attrs.parsel,
      nitelik: attrs.nitelik ?? 'Arsa',
      pafta: 'N40-c-06-a',
      source: 'test',
      registered_area_m2: knex.raw('round((ST_Area(ST_MakeEnvelope(?, ?, ?, ?, 4326)::geography) * ?)::numeric, 2)', [
        ...box,
        attrs.registeredFactor ?? 1,
      ]),
      geom,
    })
    .returning('id');
  return row.id;
}

/** A user; a PERSON with the given password, or a SERVICE account. */
export async function insertUser(
  knex: Knex,
  orgUnitId: number,
  username: string,
  attrs: Partial<{ password: string; kind: 'PERSON' | 'SERVICE'; active: boolean; fullName: string }> = {},
): Promise<number> {
  const [row] = await knex('users')
    .insert({
      org_unit_id: orgUnitId,
      username,
      full_name: attrs.fullName ?? username,
      kind: attrs.kind ?? 'PERSON',
      active: attrs.active ?? true,
      password_hash: attrs.password ? await hashPassword(attrs.password) : null,
    })
    .returning('id');
  return row.id;
}

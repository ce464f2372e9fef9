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

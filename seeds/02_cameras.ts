import type { Knex } from 'knex';
import { STREET_POINT_LATERAL } from './data/sql';
import { seededRandom } from './data/random';
import { SQUARES, STREETS, lineWkt } from './data/nizip';

/**
 * Sample cameras of Nizip, along the streets and around the squares. This file draws the seeded
 * random choices (where along a street, which side, what kind of camera...); PostGIS computes every
 * position and heading from them. Upserted by code: safe to run again, same rows every time.
 */

type Kind = 'FIXED' | 'PTZ' | 'DOME' | 'BULLET';
type Purpose = 'SECURITY' | 'LIVE_BROADCAST' | 'TRAFFIC';
type Status = 'PLANNED' | 'ACTIVE' | 'OFFLINE' | 'DECOMMISSIONED';

interface CameraRow {
  code: string;
  name: string;
  kind: Kind;
  purpose: Purpose;
  status: Status;
  horizontal_fov: number;
  range_m: number;
  mount_height_m: number;
  recorder: string;
  recorder_channel: number;
  stream_url: string;
  installed_on: string | null;
  /** Street cameras: index into STREETS, fraction of the street's length, side (-1 left, 1 right). */
  street: number | null;
  fraction: number | null;
  side: number | null;
  /** Square cameras: index into SQUARES and bearing (degrees) from the square's centre. */
  square: number | null;
  bearing: number | null;
  /** Distance in metres from the street's axis or from the square's centre. */
  offset_m: number;
  /** Degrees added to the heading PostGIS computes (the street's direction, or towards the square). */
  turn: number;
}

const RECORDERS = 8;
const CHANNELS_PER_RECORDER = 32;
const FIRST_INSTALL_DAY = Date.UTC(2018, 0, 1);
const LAST_INSTALL_DAY = Date.UTC(2025, 11, 31);
const DAY_MS = 86_400_000;

export async function seed(knex: Knex): Promise<void> {
  const { random, between, intBetween, round, pick } = seededRandom('kbs-nizip-cameras');

  // Every camera gets its own NVR channel: a seeded shuffle of all (recorder, channel) slots.
  const slots: Array<[number, number]> = [];
  for (let nvr = 1; nvr <= RECORDERS; nvr++) {
    for (let channel = 1; channel <= CHANNELS_PER_RECORDER; channel++) slots.push([nvr, channel]);
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }

  const rows: CameraRow[] = [];
  function add(
    name: string,
    kind: Kind,
    purpose: Purpose,
    placement: Pick<CameraRow, 'street' | 'fraction' | 'side' | 'square' | 'bearing' | 'offset_m' | 'turn'>,
  ): void {
    const slot = slots[rows.length];
    if (!slot) throw new Error(`more cameras than NVR channels (${slots.length})`);
    const [nvr, channel] = slot;
    const status = pick<Status>([
      ['ACTIVE', 80],
      ['OFFLINE', 11],
      ['PLANNED', 9],
    ]);
    const installed = FIRST_INSTALL_DAY + intBetween(0, (LAST_INSTALL_DAY - FIRST_INSTALL_DAY) / DAY_MS) * DAY_MS;
    const range =
      kind === 'PTZ' ? intBetween(80, 150) : kind === 'DOME' ? intBetween(30, 60) : kind === 'FIXED' ? intBetween(35, 100) : intBetween(50, 150);
    rows.push({
      code: `KAM-${String(rows.length + 1).padStart(4, '0')}`,
      name,
      kind,
      purpose,
      status,
      horizontal_fov: kind === 'PTZ' || kind === 'DOME' ? 360 : intBetween(40, 110),
      range_m: range,
      mount_height_m: round(between(4, 9), 1),
      recorder: `NVR-${String(nvr).padStart(2, '0')}`,
      recorder_channel: channel,
      stream_url: `rtsp://10.20.${nvr}.${channel}:554/Streaming/Channels/101`,
      // A planned camera is not installed yet.
      installed_on: status === 'PLANNED' ? null : new Date(installed).toISOString().slice(0, 10),
      ...placement,
    });
  }

  STREETS.forEach((street, s) => {
    for (let k = 0; k < street.cameras; k++) {
      const purpose: Purpose = street.main && random() < 0.35 ? 'TRAFFIC' : 'SECURITY';
      const kind =
        purpose === 'TRAFFIC'
          ? pick<Kind>([
              ['BULLET', 60],
              ['FIXED', 40],
            ])
          : pick<Kind>([
              ['FIXED', 30],
              ['BULLET', 30],
              ['DOME', 25],
              ['PTZ', 15],
            ]);
      add(`${street.name} K${k + 1}`, kind, purpose, {
        street: s,
        // Spread along the street: one camera in each of `cameras` equal stretches, in order.
        fraction: round((k + between(0.15, 0.85)) / street.cameras, 6),
        side: random() < 0.5 ? -1 : 1,
        square: null,
        bearing: null,
        offset_m: round(between(3, 8), 1),
        // Looking along the street, one way or the other, give or take 15 degrees.
        turn: (random() < 0.5 ? 0 : 180) + round(between(-15, 15), 1),
      });
    }
  });

  SQUARES.forEach((square, q) => {
    for (let k = 0; k < square.cameras; k++) {
      let purpose: Purpose = 'SECURITY';
      let kind: Kind;
      if (k === 0 && !square.junction) {
        purpose = 'LIVE_BROADCAST';
        kind = 'PTZ';
      } else if (k === 0) {
        purpose = 'TRAFFIC';
        kind = random() < 0.5 ? 'BULLET' : 'FIXED';
      } else {
        kind = pick<Kind>([
          ['DOME', 40],
          ['PTZ', 30],
          ['FIXED', 15],
          ['BULLET', 15],
        ]);
      }
      add(`${square.name} K${k + 1}`, kind, purpose, {
        street: null,
        fraction: null,
        side: null,
        square: q,
        // Around the square, roughly evenly.
        bearing: round((k * 360) / square.cameras + between(-20, 20), 1),
        offset_m: round(between(8, 25), 1),
        // Looking towards the middle of the square, give or take 10 degrees.
        turn: round(between(-10, 10), 1),
      });
    }
  });

  // A couple of street cameras have been taken down.
  for (let n = 0; n < 2; ) {
    const row = rows[Math.floor(random() * rows.length)];
    if (row.street !== null && row.status !== 'DECOMMISSIONED' && row.status !== 'PLANNED') {
      row.status = 'DECOMMISSIONED';
      n++;
    }
  }

  await knex.raw(
    `
    WITH streets AS (
      SELECT s.idx, ST_GeomFromText(s.wkt, 4326) AS geom
      FROM json_to_recordset(?::json) AS s(idx int, wkt text)
    ),
    squares AS (
      SELECT q.idx, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)::geography AS geog
      FROM json_to_recordset(?::json) AS q(idx int, lon float8, lat float8)
    ),
    cams AS (
      SELECT *
      FROM json_to_recordset(?::json) AS c(
        code text, name text, kind text, purpose text, status text, horizontal_fov float8, range_m float8,
        mount_height_m float8, recorder text, recorder_channel int, stream_url text, installed_on date,
        street int, fraction float8, side int, square int, bearing float8, offset_m float8, turn float8)
    ),
    on_streets AS (
      -- The point at the fraction of the street, moved a few metres to the roadside (square to the street).
      SELECT c.code, l.heading, ST_Project(l.pt, c.offset_m, l.heading + c.side * pi() / 2) AS geog
      FROM cams c
      JOIN streets s ON s.idx = c.street
      ${STREET_POINT_LATERAL}
    ),
    at_squares AS (
      -- The point at the bearing and distance from the square's centre, looking back at the centre.
      SELECT c.code, ST_Azimuth(p.geog, q.geog) AS heading, p.geog
      FROM cams c
      JOIN squares q ON q.idx = c.square
      CROSS JOIN LATERAL (SELECT ST_Project(q.geog, c.offset_m, radians(c.bearing)) AS geog) p
    ),
    placed AS (
      SELECT code, heading, geog FROM on_streets
      UNION ALL
      SELECT code, heading, geog FROM at_squares
    )
    INSERT INTO cameras (code, name, kind, purpose, status, azimuth, horizontal_fov, range_m, mount_height_m,
                         recorder, recorder_channel, stream_url, installed_on, geom)
    SELECT c.code, c.name, c.kind, c.purpose, c.status,
           ((round(degrees(p.heading) + c.turn)::int % 360) + 360) % 360,
           c.horizontal_fov, c.range_m, c.mount_height_m, c.recorder, c.recorder_channel, c.stream_url,
           c.installed_on, p.geog::geometry
    FROM cams c
    JOIN placed p ON p.code = c.code
    ORDER BY c.code
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      kind = EXCLUDED.kind,
      purpose = EXCLUDED.purpose,
      status = EXCLUDED.status,
      azimuth = EXCLUDED.azimuth,
      horizontal_fov = EXCLUDED.horizontal_fov,
      range_m = EXCLUDED.range_m,
      mount_height_m = EXCLUDED.mount_height_m,
      recorder = EXCLUDED.recorder,
      recorder_channel = EXCLUDED.recorder_channel,
      stream_url = EXCLUDED.stream_url,
      installed_on = EXCLUDED.installed_on,
      geom = EXCLUDED.geom,
      updated_at = now()
    `,
    [
      JSON.stringify(STREETS.map((s, idx) => ({ idx, wkt: lineWkt(s.path) }))),
      JSON.stringify(SQUARES.map((q, idx) => ({ idx, lon: q.at[0], lat: q.at[1] }))),
      JSON.stringify(rows),
    ],
  );
}

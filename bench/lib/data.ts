import type { Knex } from 'knex';
import { hashPassword } from '../../src/common/auth/password';
import { layersAreEmpty, migrateLatest, seedSampleData } from '../../src/db/migrate';

export const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 100_000);
export const PARCELS_SIDE = Number(process.env.BENCH_PARCELS_SIDE ?? 1000); // 1000 x 1000 lots
/** The south-west corner of the bench parcels' grid in TUREF TM39 (EPSG:5257), around Nizip. */
export const GRID_ORIGIN = { x: 382750, y: 4088300 };
export const LOT_METRES = 20;
export const BENCH_PASSWORD = 'bench-parola-2026';

const timed = async (what: string, fn: () => Promise<unknown>) => {
  const t = Date.now();
  await fn();
  console.log(`[bench] ${what} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
};

/**
 * The bench database: the migrations, the Nizip sample data (the README's analyst queries read it),
 * 100,000 public cameras and a grid of 1,000,000 parcels of 20 m around Nizip. Kept between runs:
 * each part is loaded only when missing (BENCH_FRESH=1 drops them first).
 */
export async function prepareDatabase(knex: Knex, { parcels: withParcels = true } = {}): Promise<void> {
  await migrateLatest(knex);
  if (await layersAreEmpty(knex)) await timed('loaded the Nizip sample data', () => seedSampleData(knex));

  const fresh = process.env.BENCH_FRESH === '1';
  if (fresh) {
    await knex('cameras').where('code', 'like', 'B-%').delete();
    await knex('parcels').where({ district: 'Nizip-bench' }).delete();
  }
  // The bench's own rows deleted (above, or by a run that changed their number) leave no past.
  await knex.raw(`DELETE FROM cameras_history h WHERE h.code LIKE 'B-%' AND NOT EXISTS (SELECT 1 FROM cameras c WHERE c.id = h.id)`);
  await knex.raw(`DELETE FROM parcels_history h WHERE h.district = 'Nizip-bench' AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.id = h.id)`);
  const [{ n: cameras }] = await knex('cameras').where('code', 'like', 'B-%').count({ n: '*' });
  if (Number(cameras) !== CAMERAS) {
    await knex('cameras').where('code', 'like', 'B-%').delete();
    await knex('cameras_history').where('code', 'like', 'B-%').delete();
    await timed(`loaded ${CAMERAS} cameras`, async () => {
      await knex.raw('SELECT setseed(0.42)');
      await knex.raw(
        `INSERT INTO cameras (code, name, kind, purpose, status, azimuth, horizontal_fov, range_m, mount_height_m,
                              recorder, recorder_channel, stream_url, is_public, geom)
         SELECT 'B-' || i, 'Bench camera ' || i, (ARRAY['FIXED','PTZ','DOME','BULLET'])[1 + i % 4], 'SECURITY',
                (ARRAY['ACTIVE','ACTIVE','ACTIVE','OFFLINE'])[1 + i % 4], i % 360, 60, 50, 6, 'NVR-' || (i % 8), i % 32,
                'rtsp://10.0.0.1/' || i, true,
                ST_SetSRID(ST_MakePoint(37.70 + random() * 0.20, 36.93 + random() * 0.16), 4326)
         FROM generate_series(1, ?) AS i`,
        [CAMERAS],
      );
    });
  }
  const [{ n: parcels }] = await knex('parcels').where({ district: 'Nizip-bench' }).count({ n: '*' });
  if (withParcels && Number(parcels) !== PARCELS_SIDE * PARCELS_SIDE) {
    await knex('parcels').where({ district: 'Nizip-bench' }).delete();
    await knex('parcels_history').where({ district: 'Nizip-bench' }).delete();
    await timed(`loaded ${PARCELS_SIDE * PARCELS_SIDE} parcels`, () =>
      knex.raw(
        `INSERT INTO parcels (province, district, mahalle, ada, parsel, nitelik, registered_area_m2, source, geom)
         SELECT 'Gaziantep', 'Nizip-bench', 'Bench ' || (i / 100), i, j + 1,
                (ARRAY['ARSA','TARLA','BAHÇE','KONUT'])[1 + (i + j) % 4], 400, 'bench',
                ST_Multi(ST_Transform(ST_MakeEnvelope(?::float8 + i * ?::float8, ?::float8 + j * ?::float8,
                                                      ?::float8 + i * ?::float8 + ?::float8, ?::float8 + j * ?::float8 + ?::float8, 5257), 4326))
         FROM generate_series(0, ? - 1) AS i, generate_series(0, ? - 1) AS j`,
        [GRID_ORIGIN.x, LOT_METRES, GRID_ORIGIN.y, LOT_METRES, GRID_ORIGIN.x, LOT_METRES, LOT_METRES, GRID_ORIGIN.y, LOT_METRES, LOT_METRES, PARCELS_SIDE, PARCELS_SIDE],
      ),
    );
  }
  // Anonymous requests read the public cameras, as e-Belediye's map does.
  const publicRole = knex('roles').select('id').where({ code: 'public' });
  if (!(await knex('role_grants').where({ role_id: publicRole, resource: 'CAMERAS', action: 'READ' }).first())) {
    await knex('role_grants').insert({ role_id: publicRole, resource: 'CAMERAS', action: 'READ' });
  }
  await timed('vacuumed and analysed', () => knex.raw('VACUUM ANALYZE'));
}

/**
 * A reader of parcels limited to an area (a 6 x 6 km square in the middle of the grid), with a
 * password, for the area-limited tile case; created once.
 */
export async function ensureAreaReader(knex: Knex): Promise<string> {
  const username = 'bench.area';
  if (await knex('users').where({ username }).first()) return username;
  const [unit] = await knex('org_units').select('id').where({ code: 'IMAR' });
  const [role] = await knex('roles').insert({ code: 'bench-area', name: 'Bench: parcels in an area' }).returning('id');
  const c = { x: GRID_ORIGIN.x + (PARCELS_SIDE * LOT_METRES) / 2, y: GRID_ORIGIN.y + (PARCELS_SIDE * LOT_METRES) / 2 };
  await knex('role_grants').insert({
    role_id: role.id,
    resource: 'PARCELS',
    action: 'READ',
    area_geom: knex.raw('ST_Multi(ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 5257), 4326))', [c.x - 3000, c.y - 3000, c.x + 3000, c.y + 3000]),
  });
  const [user] = await knex('users')
    .insert({ org_unit_id: unit.id, username, full_name: 'Bench area reader', password_hash: await hashPassword(BENCH_PASSWORD), active: true })
    .returning('id');
  await knex('user_roles').insert({ user_id: user.id, role_id: role.id });
  return username;
}

/** Versions each bench camera has for the history case: its creation and nine changes. */
export const CAMERA_VERSIONS = 10;

/**
 * Gives every bench camera CAMERA_VERSIONS versions (nine changes of its name, a transaction
 * each, as nine days of edits would), once; returns an instant in the middle of them (after the
 * fifth), for the asOf case.
 */
export async function ensureCameraVersions(knex: Knex): Promise<Date> {
  const versions = async () => Number((await knex('cameras_history').where('code', 'like', 'B-%').count({ n: '*' }))[0].n);
  const missing = CAMERA_VERSIONS - Math.round((await versions()) / CAMERAS);
  if (missing > 0) {
    await timed(`gave the ${CAMERAS} bench cameras ${missing} more version(s) each`, async () => {
      for (let k = 0; k < missing; k++) {
        // The name, not the aim: an aim recomputes every field of view on the ellipsoid.
        await knex.raw(`UPDATE cameras SET name = 'Bench camera ' || substr(code, 3) || ' v' || (version + 1), version = version + 1, updated_at = now() WHERE code LIKE 'B-%'`);
      }
      await knex.raw('ANALYZE cameras_history');
    });
  }
  // The instant the fifth version of camera B-1 began, and a microsecond after.
  const { rows } = await knex.raw(
    `SELECT valid_from + interval '1 microsecond' AS t FROM cameras_history WHERE code = 'B-1' ORDER BY valid_from OFFSET 4 LIMIT 1`,
  );
  return rows[0].t as Date;
}

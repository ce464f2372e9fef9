import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { SingleBar } from 'cli-progress';
import type { Access } from '../../common/auth/access';
import { AppError, badInput } from '../../common/errors/app-error';
import { translatePgError } from '../../db/pg-errors';
import { GeoService } from '../../geo/geo.service';
import { loadAccess } from '../permissions';
import { authService, UserRepository } from '../users';
import { IMPORT_LAYERS } from './import-layers';
import { runImport } from './import.service';
import type { ImportOptions, ImportProgress, ImportReport } from './import.types';

export const USAGE = `usage: npm run import -- <layer> <file> [--dry-run] [--mode insert|upsert] [--srid N] [--encoding E]
         [--map source=field …] [--set field=value …] [--default field=value …] [--key field,…]
         [--wkt column | --x column --y column] [--table name] --as <username or API token>
layers: ${Object.keys(IMPORT_LAYERS).join(', ')}
files:  .geojson/.json (FeatureCollection), .geojsonl/.geojsons/.ndjson (GeoJSONSeq), .csv, .gpkg, .zip (Shapefile), .kml`;

export interface CliIo {
  db: Knex;
  geo?: GeoService;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Draw a progress bar (a terminal); otherwise a progress line every few seconds. */
  tty?: boolean;
}

/** `name=value` items as an object; BAD_USER_INPUT naming `option` for one without `=`. */
export const pairs = (list: string[] | undefined, option: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw badInput(`${option} ${item}: write it as name=value`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
};

/** The command line as ImportOptions, and who runs it. */
export function parseCommandLine(argv: string[]): { options: ImportOptions; as: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        srid: { type: 'string' }, encoding: { type: 'string' }, map: { type: 'string', multiple: true }, set: { type: 'string', multiple: true },
        default: { type: 'string', multiple: true }, key: { type: 'string', multiple: true }, mode: { type: 'string' }, 'dry-run': { type: 'boolean' },
        as: { type: 'string' }, wkt: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' }, table: { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw badInput((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length !== 2) throw badInput(positionals.length === 2 ? '' : `give a layer and a file`);
  if (!v.as) throw badInput('--as <username or API token> is required: the import is checked against, and audited as, that account');
  const mode = v.mode ?? 'insert';
  if (mode !== 'insert' && mode !== 'upsert') throw badInput(`--mode ${mode}: insert or upsert`);
  const srid = v.srid === undefined ? undefined : Number(v.srid);
  if (srid !== undefined && !(Number.isInteger(srid) && srid > 0)) throw badInput(`--srid ${v.srid}: an EPSG code such as 5257`);
  if ((v.x === undefined) !== (v.y === undefined)) throw badInput('--x and --y go together');
  return {
    as: v.as,
    options: {
      layer: positionals[0], file: positionals[1], srid, encoding: v.encoding, map: Object.fromEntries(Object.entries(pairs(v.map, '--map'))),
      set: pairs(v.set, '--set'), defaults: pairs(v.default, '--default'), key: v.key?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean),
      mode, dryRun: v['dry-run'] ?? false, wkt: v.wkt, x: v.x, y: v.y, table: v.table,
    },
  };
}

/** The access of an API token's secret, or of an active account by username. */
async function accessOf(db: Knex, as: string): Promise<Access> {
  const byToken = await authService.apiTokenAccess(db, as);
  if (byToken) return byToken;
  const user = await new UserRepository(db).byUsername(as);
  if (!user) throw new AppError('UNAUTHENTICATED', `--as ${as}: no account has that username, and it is no API token`);
  const { access, user: loaded } = await loadAccess(db, Number(user.id), (u) => ({ userId: u.id, username: u.username, orgUnitId: u.orgUnitId, via: 'COMMAND_LINE' }));
  if (!loaded?.active) throw new AppError('UNAUTHENTICATED', `--as ${as}: the account is deactivated`);
  return access;
}

/** The report as people read it. */
export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  lines.push(`import ${r.importId}: ${r.rows} rows of ${r.format}${r.encoding ? ` (${r.encoding})` : ''} into ${r.layer}`);
  lines.push(`coordinates: ${r.crs}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  lines.push(`fields: ${Object.entries(r.mapping).map(([s, f]) => (s === f ? s : `${s} -> ${f}`)).join(', ') || 'none'}${r.ignored.length ? `; ignored: ${r.ignored.join(', ')}` : ''}`);
  const counts = `insert ${r.inserted}, update ${r.updated}, leave ${r.unchanged} unchanged, reject ${r.rejected}`;
  if (r.dryRun) lines.push(`dry run: would ${counts}; nothing was written`);
  else if (r.committed) lines.push(`written: inserted ${r.inserted}, updated ${r.updated}, left ${r.unchanged} unchanged; audited as request import:${r.importId}`);
  else lines.push(`nothing was written: ${r.rejected} row${r.rejected === 1 ? '' : 's'} rejected (would ${counts})`);
  if (r.rejections.length) {
    lines.push('rejected rows:');
    for (const x of r.rejections) lines.push(`  row ${x.row}\t${x.field}\t${x.reason}`);
  }
  return lines.join('\n') + '\n';
}

function progressReporter(io: CliIo): (p: ImportProgress) => void {
  const started = Date.now();
  let last = 0;
  let bar: SingleBar | undefined;
  return (p) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.rows / seconds) : 0;
    const eta = p.fraction && p.fraction > 0 && p.phase === 'reading' ? Math.round((seconds / p.fraction) * (1 - p.fraction)) : undefined;
    if (io.tty) {
      if (!bar) {
        bar = new SingleBar({ format: 'import [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | {phase}', stream: process.stderr, hideCursor: true });
        bar.start(100, 0, { rows: 0, rate: 0, phase: p.phase });
      }
      bar.update(Math.round((p.fraction ?? 0) * 100), { rows: p.rows, rate, phase: p.phase });
      if (p.phase === 'done') bar.stop();
      return;
    }
    if (p.phase !== 'reading' || Date.now() - last > 2000) {
      last = Date.now();
      io.stderr(`[kbs] import: ${p.phase}, ${p.rows} rows, ${rate} rows/s${eta !== undefined ? `, ETA ${eta} s` : ''}\n`);
    }
  };
}

/**
 * `npm run import`: runs one import and prints its report; exit code 0 when every row was taken
 * (written, or would be in a dry run), 1 when rows were rejected, 2 when the import could not run
 * (bad arguments or file, unknown account): a message, never a stack trace.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { options, as } = parseCommandLine(argv);
    const access = await accessOf(io.db, as);
    const report = await runImport({ db: io.db, geo: io.geo ?? new GeoService(), access }, options, progressReporter(io));
    io.stdout(formatReport(report));
    return report.rejected > 0 ? 1 : 0;
  } catch (err) {
    const known = err instanceof AppError ? err : translatePgError(err);
    if (!known) throw err;
    io.stderr(known.message ? `[kbs] import: ${known.message}\n` : `${USAGE}\n`);
    return 2;
  }
}

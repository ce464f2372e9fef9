import path from 'node:path';
import { badInput } from '../../../common/errors/app-error';
import { pairs } from '../cli';
import type { ImportOptions } from '../import.types';

/** The form fields of POST /imports, each as often as it was sent. */
export type UploadFields = Map<string, string[]>;

/** Fields that may be sent more than once (as --map, --set, --default, --key may be given more than once). */
const REPEATABLE = new Set(['map', 'set', 'default', 'defaults', 'key']);
const SINGLE = new Set(['layer', 'mode', 'dryRun', 'srid', 'encoding', 'wkt', 'x', 'y', 'table']);

/** What the import is told besides its file: the options a job record holds. */
export type JobOptions = Omit<ImportOptions, 'file' | 'importId'>;

const bool = (value: string | undefined, name: string): boolean => {
  if (value === undefined || value === '') return false;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw badInput(`${name} ${value}: true or false`);
};

/**
 * The form fields as ImportOptions (without the file), checked as the command line's options are:
 * layer, mode (insert or upsert), dryRun, srid, encoding, map/set/default (source=field,
 * field=value; repeated), key (field,…), wkt or x and y, table.
 */
export function parseUploadFields(fields: UploadFields): JobOptions {
  for (const [name, values] of fields) {
    if (!REPEATABLE.has(name) && !SINGLE.has(name)) {
      throw badInput(`unknown field ${name}: the fields are ${[...SINGLE, 'map', 'set', 'default', 'key'].join(', ')} and file`);
    }
    if (SINGLE.has(name) && values.length > 1) throw badInput(`the field ${name} was sent ${values.length} times`);
  }
  const one = (name: string) => {
    const v = fields.get(name)?.[0]?.trim();
    return v === '' ? undefined : v;
  };
  const layer = one('layer');
  if (!layer) throw badInput('the field layer is required (e.g. parcels), before the file');
  const mode = one('mode') ?? 'insert';
  if (mode !== 'insert' && mode !== 'upsert') throw badInput(`mode ${mode}: insert or upsert`);
  const sridText = one('srid');
  const srid = sridText === undefined ? undefined : Number(sridText);
  if (srid !== undefined && !(Number.isInteger(srid) && srid > 0)) throw badInput(`srid ${sridText}: an EPSG code such as 5257`);
  const x = one('x');
  const y = one('y');
  if ((x === undefined) !== (y === undefined)) throw badInput('x and y go together');
  const key = fields.get('key')?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
  return {
    layer,
    mode,
    dryRun: bool(one('dryRun'), 'dryRun'),
    srid,
    encoding: one('encoding'),
    map: pairs(fields.get('map'), 'map'),
    set: pairs(fields.get('set'), 'set'),
    defaults: pairs([...(fields.get('default') ?? []), ...(fields.get('defaults') ?? [])], 'default'),
    key: key?.length ? key : undefined,
    wkt: one('wkt'),
    x,
    y,
    table: one('table'),
  };
}

/**
 * The client's name for the file, as a plain file name (no folders, no control characters) that
 * keeps its extension: the import tells the format by it and names the file in its messages.
 */
export function safeFileName(name: string | undefined): string {
  const base = path.posix.basename((name ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const cleaned = base === '.' || base === '..' ? '' : base;
  if (!cleaned) throw badInput('the file has no name: send it with a file name that says its format (e.g. parcels.geojson)');
  if (cleaned.length <= 200) return cleaned;
  const ext = path.extname(cleaned).slice(0, 20);
  return cleaned.slice(0, 200 - ext.length) + ext;
}

/** The command line's options, as the form fields of POST /imports name them. */
const OPTION_FIELDS: Record<string, string> = {
  '--dry-run': 'dryRun', '--srid': 'srid', '--encoding': 'encoding', '--map': 'map', '--set': 'set', '--default': 'default',
  '--key': 'key', '--mode': 'mode', '--wkt': 'wkt', '--x': 'x', '--y': 'y', '--table': 'table',
};

/**
 * A message of the import (which names what to change as the command line's options: "give its EPSG
 * code with --srid") as an uploader reads it: "… with the field srid".
 */
export function inFormFields(message: string): string {
  return message.replace(/--(?:dry-run|srid|encoding|map|set|default|key|mode|wkt|x|y|table)\b/g, (option) => `the field ${OPTION_FIELDS[option]}`);
}

/** An import report with its messages (CRS, notes, reasons) as an uploader reads them. */
export function reportInFormFields<R extends { crs: string; notes: string[]; rejections: { reason: string }[] }>(report: R): R {
  return {
    ...report,
    crs: inFormFields(report.crs),
    notes: report.notes.map(inFormFields),
    rejections: report.rejections.map((r) => ({ ...r, reason: inFormFields(r.reason) })),
  };
}

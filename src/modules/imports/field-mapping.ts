import { GraphQLScalarType } from 'graphql';
import { badInput } from '../../common/errors/app-error';
import { dateProblem } from '../../common/input/date.scalar';
import { rangeProblem, type InputFieldSpec } from '../../geo/layer.mutations';
import { writableColumn } from '../../geo/layer-edit.service';
import type { Access } from '../../common/auth/access';
import type { LayerDefinition } from '../../geo/layer.repository';
import { importReferences, type ImportLayer } from './import-layers';
import type { ImportOptions, Rejection } from './import.types';

/**
 * A name folded for matching: Turkish upper and lower case alike (İ/i/I/ı), diacritics dropped,
 * anything but letters and digits removed ("Parsel No", "PARSEL_NO" and "parselNo" fold alike).
 * The same letters kbs_fold() maps in SQL.
 */
export function foldName(name: string): string {
  return name
    .replace(/İ/g, 'i')
    .replace(/I/g, 'i')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]/g, '');
}

/** How the file's fields become the layer's columns. */
export interface FieldMapping {
  /** Source field -> layer field. */
  fields: Map<string, string>;
  /** Layer field -> constant (from --set). */
  constants: Map<string, unknown>;
  /** Layer field -> value where the row gives none (from --default). */
  defaults: Map<string, unknown>;
  /** Layer field -> column, for every field the import writes. */
  columns: Map<string, string>;
  /** Reference fields that may name their row by its code (a text) as well as by its id (a number). */
  byCode: Set<string>;
  ignored: string[];
}

/**
 * Matches source fields to layer fields: explicit --map first, then by folded name (the field's,
 * its column's, or one of the layer's aliases, such as TKGM's). Fields the writer may not set
 * (a sensitive one without its grant) refuse the whole import, as a mutation would.
 */
export function buildMapping(layer: ImportLayer, definition: LayerDefinition<unknown>, access: Access, sourceFields: string[], options: ImportOptions): FieldMapping {
  const byFolded = new Map<string, string>();
  for (const field of Object.keys(layer.fields)) {
    byFolded.set(foldName(field), field);
    const column = definition.columns[field] ?? { ownerOrgUnitId: 'owner_org_unit_id', isPublic: 'is_public' }[field];
    if (column) byFolded.set(foldName(column), field);
  }
  for (const [alias, field] of Object.entries(layer.aliases)) if (!byFolded.has(alias)) byFolded.set(alias, field);
  const known = (field: string, what: string) => {
    if (!(field in layer.fields)) {
      throw badInput(`${what}: ${layer.plural} have no field ${field} (they have ${Object.keys(layer.fields).join(', ')})`);
    }
  };
  const fields = new Map<string, string>();
  const explicit = options.map ?? {};
  for (const [source, field] of Object.entries(explicit)) {
    known(field, `--map ${source}=${field}`);
    if (!sourceFields.includes(source)) {
      throw badInput(`--map ${source}=${field}: the file has no field ${source} (it has ${sourceFields.join(', ') || 'none'})`);
    }
    fields.set(source, field);
  }
  const ignored: string[] = [];
  const taken = new Set(fields.values());
  for (const source of sourceFields) {
    if (fields.has(source)) continue;
    const field = byFolded.get(foldName(source));
    if (field && !taken.has(field)) {
      fields.set(source, field);
      taken.add(field);
    } else ignored.push(source);
  }
  const constants = new Map<string, unknown>();
  const defaults = new Map<string, unknown>();
  for (const [field, value] of Object.entries(options.set ?? {})) {
    known(field, `--set ${field}`);
    constants.set(field, value);
  }
  for (const [field, value] of Object.entries(options.defaults ?? {})) {
    known(field, `--default ${field}`);
    defaults.set(field, value);
  }
  const columns = new Map<string, string>();
  for (const field of [...fields.values(), ...constants.keys(), ...defaults.keys()]) {
    columns.set(field, writableColumn({ access }, definition, field));
  }
  for (const [field, spec] of Object.entries(layer.fields)) {
    if (spec.required && !columns.has(field)) columns.set(field, writableColumn({ access }, definition, field));
  }
  const byCode = new Set(Object.entries(importReferences(definition)).filter(([, ref]) => ref.code).map(([field]) => field));
  return { fields, constants, defaults, columns, byCode, ignored };
}

/** Required fields that no field of the file, no --set and no --default gives: the file cannot be imported. */
export function missingRequired(layer: ImportLayer, mapping: FieldMapping): string | undefined {
  const given = new Set([...mapping.fields.values(), ...mapping.constants.keys(), ...mapping.defaults.keys()]);
  const missing = Object.entries(layer.fields).filter(([f, spec]) => spec.required && !given.has(f)).map(([f]) => f);
  if (!missing.length) return undefined;
  return `no field of the file gives ${missing.join(', ')}, which every ${layer.what} needs: name the source field with --map <source field>=${missing[0]}, or give a constant with --set ${missing[0]}=<value>`;
}

/** A number written either way: "900,01", "900.01", "1.234,5" or "1,234.5". */
export function parseNumber(text: string): number {
  const t = text.trim().replace(/\s/g, '');
  if (!/^[+-]?[\d.,]+(?:[eE][+-]?\d+)?$/.test(t)) return NaN;
  const lastComma = t.lastIndexOf(',');
  const lastDot = t.lastIndexOf('.');
  const normal = lastComma > lastDot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  return Number(normal);
}

/** A value of the file as the field's input type takes it; throws a message naming what is wrong. */
function convert(spec: InputFieldSpec, raw: unknown, valueAliases?: Record<string, string>, byCode = false): unknown {
  const type = spec.type() as unknown;
  if (type === String) return raw instanceof Date ? raw.toISOString() : String(raw).trim();
  if (type === Boolean) {
    if (typeof raw === 'boolean') return raw;
    const f = foldName(String(raw));
    if (['true', '1', 'evet', 'e', 'yes', 't'].includes(f)) return true;
    if (['false', '0', 'hayir', 'h', 'no', 'f'].includes(f)) return false;
    throw new Error(`${JSON.stringify(String(raw))} is not a yes/no value (true/false, evet/hayır, 1/0)`);
  }
  if (type instanceof GraphQLScalarType) {
    if (type.name === 'Date') {
      const text = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
      // Turkish day.month.year as spreadsheets write it
      const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
      const iso = dmy ? `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}` : text;
      const problem = dateProblem(iso);
      if (problem) throw new Error(problem);
      return iso;
    }
    if (type.name === 'ID' && byCode && typeof raw !== 'number' && !/^\s*\d+\s*$/.test(String(raw))) {
      return String(raw).trim(); // a code, looked up in the database
    }
    if (type.name === 'Int' || type.name === 'Float' || type.name === 'ID') {
      const n = typeof raw === 'number' ? raw : parseNumber(String(raw));
      if (!Number.isFinite(n)) throw new Error(`${JSON.stringify(String(raw))} is not a number`);
      if (type.name === 'ID') {
        if (!Number.isInteger(n) || n <= 0 || n > 2147483647) throw new Error(`${JSON.stringify(String(raw))} is not an id`);
        return n;
      }
      try {
        return type.parseValue(n);
      } catch (err) {
        throw new Error((err as Error).message);
      }
    }
    return type.parseValue(raw);
  }
  if (type && typeof type === 'object') {
    const values = Object.values(type as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
    const folded = foldName(String(raw));
    const found = values.find((v) => foldName(v) === folded) ?? valueAliases?.[folded];
    if (!found) throw new Error(`unknown value ${JSON.stringify(String(raw))}: one of ${values.join(', ')}`);
    return found;
  }
  return raw;
}

const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * One row's values by column, converted and checked as the create input's types and ranges check
 * them; the problems found, each naming its field.
 */
export function convertRow(
  layer: ImportLayer,
  mapping: FieldMapping,
  properties: Record<string, unknown>,
  row: number,
): { values: Record<string, unknown>; problems: Rejection[] } {
  const given = new Map<string, unknown>();
  for (const [source, field] of mapping.fields) if (!empty(properties[source])) given.set(field, properties[source]);
  for (const [field, value] of mapping.defaults) if (!given.has(field)) given.set(field, value);
  for (const [field, value] of mapping.constants) given.set(field, value);
  const values: Record<string, unknown> = {};
  const problems: Rejection[] = [];
  for (const [field, column] of mapping.columns) {
    const spec = layer.fields[field];
    const raw = given.get(field);
    if (raw === undefined) {
      if (spec.required) problems.push({ row, field, reason: `missing: every ${layer.what} needs ${field}` });
      else values[column] = null;
      continue;
    }
    try {
      const value = convert(spec, raw, layer.valueAliases?.[field], mapping.byCode.has(field));
      const outOfRange = rangeProblem(spec, value);
      if (outOfRange) problems.push({ row, field, reason: outOfRange });
      else values[column] = value;
    } catch (err) {
      problems.push({ row, field, reason: (err as Error).message });
    }
  }
  if (!problems.length) for (const p of layer.rowProblems?.(values) ?? []) problems.push({ row, ...p });
  // A code stays text until the database resolves it; a refused row keeps none (its record is typed).
  if (problems.length) for (const field of mapping.byCode) if (typeof values[mapping.columns.get(field)!] === 'string') values[mapping.columns.get(field)!] = null;
  return { values, problems };
}

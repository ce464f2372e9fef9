import type { Knex } from 'knex';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { Access } from '../../common/auth/access';
import { badInput } from '../../common/errors/app-error';
import { dateProblem } from '../../common/input/date.scalar';
import type { GeoService } from '../../geo/geo.service';
import { GeoJSONScalar, type GeoJsonGeometry } from '../../geo/geojson.scalar';
import { resolveSpatialFilter, type GeometryColumn } from '../../geo/spatial-filter';
import type { SpatialFilter } from '../../geo/spatial.inputs';
import type { OgcCrs } from '../crs';
import type { Queryable } from '../queryables';
import { foldAccents, foldCase } from './text-folding';
import type { Cql2Node } from './parser';

/** What a filter is translated against: the request's queryables, and how to place geometries. */
export interface FilterScope {
  db: Knex;
  geo: GeoService;
  access: Access;
  queryables: ReadonlyMap<string, Queryable>;
  /** The layer's geometry column, as spatial predicates take it. */
  geometry: GeometryColumn;
  /** The CRS of the filter's geometry literals (`filter-crs`). */
  crs: OgcCrs;
  /** The collection, for messages. */
  collection: string;
}

/** Scalar types of values in a filter (integer and number compare alike). */
type ValueType = 'string' | 'number' | 'boolean' | 'date' | 'timestamp';

interface Value {
  sql: Knex.Raw;
  type: ValueType;
  /** How the value reads in a message: `property "name"` or a literal. */
  shown: string;
}

const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=']);
const SPATIAL: Record<string, string> = {
  s_intersects: 'ST_Intersects',
  s_equals: 'ST_Equals',
  s_disjoint: 'ST_Disjoint',
  s_touches: 'ST_Touches',
  s_within: 'ST_Within',
  s_overlaps: 'ST_Overlaps',
  s_crosses: 'ST_Crosses',
  s_contains: 'ST_Contains',
};
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', 'div', '^']);
const METRES = new Set(['m', 'meter', 'meters', 'metre', 'metres']);
/** The most nodes a filter may have: deep or wide trees cost the planner, not only us. */
const MAX_NODES = 1000;

const isObject = (n: unknown): n is Record<string, unknown> => typeof n === 'object' && n !== null && !Array.isArray(n);
const opOf = (n: unknown) => (isObject(n) && typeof n.op === 'string' ? n.op.toLowerCase() : undefined);
const argsOf = (n: Record<string, unknown>): unknown[] => (Array.isArray(n.args) ? n.args : []);
const show = (n: unknown): string => {
  const s = JSON.stringify(n) ?? String(n);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
const typeName = (t: ValueType) => (t === 'timestamp' ? 'a timestamp' : t === 'date' ? 'a date' : `a ${t}`);

/**
 * A CQL2 filter (in its JSON form, whichever encoding it came in) as one SQL condition over the
 * layer's query. Property names come only from the request's queryables (so a field it may not
 * read is unknown here, and a filter cannot reveal it); every literal is a binding. Geometry
 * literals are checked and placed by the same code as GraphQL's spatial filter (an async step: it
 * asks PostGIS). Anything this API does not support, or a type mismatch, is a 400 saying which.
 */
export async function cql2ToSql(node: Cql2Node, scope: FilterScope): Promise<{ sql: Knex.Raw }> {
  let nodes = 0;
  const db = scope.db;
  // A Knex.Raw is a thenable (awaiting it runs it): async steps pass it wrapped.
  const wrap = (sql: Knex.Raw): { sql: Knex.Raw } => ({ sql });

  const fail = (message: string): never => {
    throw badInput(`filter: ${message}`);
  };

  const queryable = (name: unknown): Queryable => {
    if (typeof name !== 'string') return fail(`a property reference needs a name, got ${show(name)}`);
    const q = scope.queryables.get(name);
    if (!q) {
      const names = [...scope.queryables.keys()];
      return fail(`"${name}" is not a queryable of ${scope.collection}; the queryables are ${names.join(', ')} (see /collections/${scope.collection}/queryables)`);
    }
    return q;
  };

  const condition = async (n: unknown): Promise<{ sql: Knex.Raw }> => {
    if (++nodes > MAX_NODES) fail(`more than ${MAX_NODES} terms`);
    if (n === true || n === false) return wrap(db.raw(n ? 'TRUE' : 'FALSE'));
    const op = opOf(n);
    if (!op || !isObject(n)) {
      if (isObject(n) && 'property' in n) {
        return fail(`property "${String(n.property)}" alone is not a condition; compare it (e.g. ${String(n.property)} = true)`);
      }
      return fail(`${show(n)} is not a condition`);
    }
    const args = argsOf(n);
    if (op === 'and' || op === 'or') {
      if (args.length < 2) fail(`"${op}" needs at least two conditions`);
      const parts = (await Promise.all(args.map(condition))).map((p) => p.sql);
      return wrap(db.raw(`(${parts.map(() => '?').join(op === 'and' ? ' AND ' : ' OR ')})`, parts));
    }
    if (op === 'not') {
      arity(op, args, 1);
      return wrap(db.raw('(NOT ?)', [(await condition(args[0])).sql]));
    }
    if (COMPARISONS.has(op)) {
      arity(op, args, 2);
      const [a, b] = [value(args[0]), value(args[1])];
      same(op, a, b);
      if (a.type === 'boolean' && op !== '=' && op !== '<>') fail(`booleans compare only with = and <>, not ${op}`);
      return wrap(db.raw(`(? ${op} ?)`, [a.sql, b.sql]));
    }
    if (op === 'like') {
      arity(op, args, 2);
      const [a, p] = [value(args[0]), value(args[1])];
      if (a.type !== 'string' || p.type !== 'string') fail(`LIKE compares strings: ${a.shown} is ${typeName(a.type)}, the pattern ${p.shown} is ${typeName(p.type)}`);
      return wrap(db.raw('(? LIKE ?)', [a.sql, p.sql]));
    }
    if (op === 'between') {
      arity(op, args, 3);
      const [v, lo, hi] = args.map(value);
      same(op, v, lo);
      same(op, v, hi);
      if (v.type === 'boolean') fail('BETWEEN needs numbers, strings, dates or timestamps, not booleans');
      return wrap(db.raw('(? BETWEEN ? AND ?)', [v.sql, lo.sql, hi.sql]));
    }
    if (op === 'in') {
      arity(op, args, 2);
      const v = value(args[0]);
      const list = args[1];
      if (!Array.isArray(list) || list.length === 0) return fail(`IN needs a non-empty list of values, got ${show(list)}`);
      if (list.length > MAX_NODES) fail(`IN takes at most ${MAX_NODES} values`);
      const items = list.map(value);
      for (const item of items) same(op, v, item);
      return wrap(db.raw(`(? IN (${items.map(() => '?').join(', ')}))`, [v.sql, ...items.map((i) => i.sql)]));
    }
    if (op === 'isnull') {
      arity('IS NULL', args, 1);
      const a = args[0];
      if (isObject(a) && 'property' in a && queryable(a.property).type === 'geometry') return wrap(db.raw('(? IS NULL)', [queryable(a.property).sql]));
      return wrap(db.raw('(? IS NULL)', [value(a).sql]));
    }
    if (op in SPATIAL || op === 's_dwithin') return spatial(op, args);
    if (op.startsWith('t_')) return fail(`the temporal function ${op.toUpperCase()} is not supported; use the datetime parameter, or compare with TIMESTAMP('…') or DATE('…')`);
    if (op.startsWith('a_')) return fail(`the array function ${op.toUpperCase()} is not supported (no property here holds an array)`);
    if (COMPARISONS.has(op) || ARITHMETIC.has(op) || op === 'casei' || op === 'accenti') return fail(`${op.toUpperCase()}(…) is not a condition`);
    return fail(`unknown function ${op.toUpperCase()}; supported: comparisons, LIKE, BETWEEN, IN, IS NULL, AND, OR, NOT, CASEI, ACCENTI, ${Object.keys(SPATIAL).map((s) => s.toUpperCase()).join(', ')}, S_DWITHIN`);
  };

  const arity = (op: string, args: unknown[], n: number) => {
    if (args.length !== n) fail(`${op.toUpperCase()} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
  };

  const same = (op: string, a: Value, b: Value) => {
    if (a.type !== b.type) fail(`${op.toUpperCase()} cannot compare ${a.shown} (${typeName(a.type)}) with ${b.shown} (${typeName(b.type)})`);
  };

  const value = (n: unknown): Value => {
    if (++nodes > MAX_NODES) fail(`more than ${MAX_NODES} terms`);
    if (typeof n === 'string') return { sql: db.raw('?::text', [n]), type: 'string', shown: `'${n}'` };
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) fail(`${n} is not a finite number`);
      return { sql: db.raw('?::float8', [n]), type: 'number', shown: String(n) };
    }
    if (typeof n === 'boolean') return { sql: db.raw('?::boolean', [n]), type: 'boolean', shown: String(n) };
    if (Array.isArray(n)) return fail(`a list ${show(n)} can only follow IN`);
    if (!isObject(n)) return fail(`${show(n)} is not a value`);
    if ('property' in n) {
      const q = queryable(n.property);
      if (q.type === 'geometry') fail(`"${q.name}" is a geometry: use it in a spatial function (S_INTERSECTS, S_DWITHIN, …) or with IS NULL`);
      const type: ValueType = q.type === 'integer' ? 'number' : q.type === 'date-time' ? 'timestamp' : (q.type as ValueType);
      return { sql: q.sql, type, shown: `property "${q.name}"` };
    }
    if ('date' in n) {
      const problem = dateProblem(n.date);
      if (problem) fail(`DATE: ${problem}`);
      return { sql: db.raw('?::date', [n.date as string]), type: 'date', shown: `DATE('${String(n.date)}')` };
    }
    if ('timestamp' in n) {
      if (typeof n.timestamp !== 'string' || !isTimestamp(n.timestamp)) fail(`TIMESTAMP: ${show(n.timestamp)} is not an RFC 3339 date-time in UTC, such as '2026-01-05T09:00:00Z'`);
      return { sql: db.raw('?::timestamptz', [n.timestamp as string]), type: 'timestamp', shown: `TIMESTAMP('${String(n.timestamp)}')` };
    }
    if ('interval' in n) return fail('INTERVAL is only an argument of temporal functions, which are not supported; use the datetime parameter');
    if ('bbox' in n || 'coordinates' in n || 'geometries' in n) return fail(`a geometry ${show(n)} can only be an argument of a spatial function`);
    const op = opOf(n);
    if (op === 'casei' || op === 'accenti') {
      const args = argsOf(n);
      arity(op, args, 1);
      const inner = value(args[0]);
      if (inner.type !== 'string') fail(`${op.toUpperCase()} takes a string, got ${inner.shown} (${typeName(inner.type)})`);
      return { sql: op === 'casei' ? foldCase(db, inner.sql) : foldAccents(db, inner.sql), type: 'string', shown: `${op.toUpperCase()}(${inner.shown})` };
    }
    if (op && ARITHMETIC.has(op)) return fail('arithmetic (+, -, *, /) is not supported');
    if (op) return fail(`${op.toUpperCase()}(…) is not a value here`);
    return fail(`${show(n)} is not a value`);
  };

  /** A geometry operand: the layer's geometry, or a literal (GeoJSON or bbox) in filter-crs. */
  type Operand = { kind: 'column' } | { kind: 'literal'; geometry: GeoJsonGeometry; bbox?: number[] };

  const operand = (n: unknown): Operand => {
    if (isObject(n) && 'property' in n) {
      const q = queryable(n.property);
      if (q.type !== 'geometry') return fail(`${q.name} is not a geometry; spatial functions take "geometry" and a geometry literal`);
      return { kind: 'column' };
    }
    if (isObject(n) && 'bbox' in n) {
      const b = n.bbox;
      if (!Array.isArray(b) || (b.length !== 4 && b.length !== 6) || !b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return fail(`BBOX takes four numbers (or six, with heights), got ${show(b)}`);
      }
      const [a1, a2, b1, b2] = b.length === 4 ? b : [b[0], b[1], b[3], b[4]];
      if (a1 > b1 || a2 > b2) fail(`BBOX(${b.join(', ')}): a lower corner coordinate is greater than the upper one (order: lower corner, upper corner, in the axis order of filter-crs)`);
      const ring = [[a1, a2], [b1, a2], [b1, b2], [a1, b2], [a1, a2]];
      return { kind: 'literal', geometry: toXy({ type: 'Polygon', coordinates: [ring] }), bbox: scope.crs.swapAxes ? [a2, a1, b2, b1] : [a1, a2, b1, b2] };
    }
    if (isObject(n) && typeof n.type === 'string') {
      let g: GeoJsonGeometry;
      try {
        g = GeoJSONScalar.parseValue(n) as GeoJsonGeometry;
      } catch (err) {
        return fail(`geometry literal: ${(err as Error).message}`);
      }
      return { kind: 'literal', geometry: toXy(g) };
    }
    return fail(`${show(n)} is not a geometry (spatial functions take "geometry" and a geometry literal such as POINT(…), POLYGON(…) or BBOX(…))`);
  };

  /** Easting/longitude first, as PostGIS and GraphQL's inputs take coordinates. */
  const toXy = (g: GeoJsonGeometry): GeoJsonGeometry => (scope.crs.swapAxes ? swapAxes(g) : g);

  const spatial = async (op: string, args: unknown[]): Promise<{ sql: Knex.Raw }> => {
    const name = op.toUpperCase();
    if (op === 's_dwithin') {
      if (args.length !== 3 && args.length !== 4) fail(`S_DWITHIN takes a geometry, another geometry and a distance in metres, got ${args.length} arguments`);
      const distance = args[2];
      if (typeof distance !== 'number' || !Number.isFinite(distance) || distance < 0) fail(`S_DWITHIN: the distance must be a number of metres, zero or more, got ${show(distance)}`);
      if (args.length === 4) {
        const unit = isObject(args[3]) && 'property' in args[3] ? args[3].property : args[3];
        if (typeof unit !== 'string' || !METRES.has(unit.toLowerCase())) fail(`S_DWITHIN: distances are in metres (measured on the ellipsoid); the unit ${show(unit)} is not supported`);
      }
      const [a, b] = [operand(args[0]), operand(args[1])];
      if (a.kind === 'column' && b.kind === 'column') return wrap(db.raw('TRUE'));
      if (a.kind === 'literal' && b.kind === 'literal') fail('S_DWITHIN needs the property "geometry" on one side');
      const lit = (a.kind === 'literal' ? a : b) as Extract<Operand, { kind: 'literal' }>;
      return predicate({ withinDistance: { geometry: lit.geometry, srid: scope.crs.srid, meters: distance as number } });
    }
    arity(name, args, 2);
    const [a, b] = [operand(args[0]), operand(args[1])];
    if (a.kind === 'column' && b.kind === 'column') return wrap(db.raw(`${SPATIAL[op]}(??, ??)`, [scope.geometry.name, scope.geometry.name]));
    if (a.kind === 'literal' && b.kind === 'literal') fail(`${name} needs the property "geometry" on one side`);
    const lit = (a.kind === 'literal' ? a : b) as Extract<Operand, { kind: 'literal' }>;
    if (op === 's_intersects') {
      // The GraphQL spatial filter's own predicates (box placement in the filter's CRS, clipping to its area of use).
      if (lit.bbox) {
        const [minx, miny, maxx, maxy] = lit.bbox;
        return predicate({ bbox: { minx, miny, maxx, maxy, srid: scope.crs.srid } });
      }
      return predicate({ intersects: { geometry: lit.geometry, srid: scope.crs.srid } });
    }
    const checked = await scope.geo.geometry(db, lit.geometry, scope.crs.srid, { argument: `filter: ${name}`, planar: true });
    const column = db.raw('??', [scope.geometry.name]);
    const literal = db.raw('?::geometry', [checked.ewkb]);
    return wrap(db.raw(`${SPATIAL[op]}(?, ?)`, a.kind === 'column' ? [column, literal] : [literal, column]));
  };

  const predicate = async (filter: SpatialFilter): Promise<{ sql: Knex.Raw }> => {
    const predicates = await resolveSpatialFilter(db, scope.geo, scope.access, filter, 'filter');
    return wrap(db.raw(`(${predicates.map(() => '?').join(' AND ')})`, predicates.map((p) => p(db, scope.geometry))));
  };

  return condition(node);
}

/** RFC 3339 date-time (the CQL2 TIMESTAMP form, and any offset), a real instant. */
export function isTimestamp(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return false;
  try {
    GraphQLDateTimeISO.parseValue(value);
    return true;
  } catch {
    return false;
  }
}

/** The same geometry with x and y swapped in every position (northing/easting or lat/lon order to x/y). */
function swapAxes(g: GeoJsonGeometry): GeoJsonGeometry {
  const swap = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? [c[1], c[0], ...c.slice(2)] : Array.isArray(c) ? c.map(swap) : c;
  if (g.type === 'GeometryCollection') return { ...g, geometries: (g.geometries as GeoJsonGeometry[]).map(swapAxes) };
  return { ...g, coordinates: swap(g.coordinates) };
}

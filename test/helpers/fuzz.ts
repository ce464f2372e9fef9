import seedrandom from 'seedrandom';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Bad values for every argument of a schema, generated from the schema itself: each argument and,
 * recursively, each field of its input objects gets values that are wrong for its type (and some
 * that are wrong for any type), while every other required argument keeps a valid value. Seeded,
 * so a run is the same every time.
 */

export type Rng = () => number;
export const rngOf = (seed: string): Rng => seedrandom(seed);

/** An enum value to print bare in a GraphQL literal (in variables it is just its name). */
export class EnumLiteral {
  constructor(readonly name: string) {}
  toJSON() {
    return this.name;
  }
}

/** One request: a document and its variables, as whom. */
export interface FuzzCase {
  /** Where the bad value went and what it was, for the failure report. */
  label: string;
  query: string;
  variables: Record<string, unknown>;
  anonymous: boolean;
}

/** A position in an argument: a chain of input fields and list items. */
type Path = (string | 0)[];

interface Leaf {
  path: Path;
  type: GraphQLInputType;
}

/** `n` distinct items of `items`, in a seeded order (all when there are fewer). */
export function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

const point = { type: 'Point', coordinates: [37.79, 37.01] };
const square = (x: number, y: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

/** Nested arrays `depth` deep around `inner`, built without recursion. */
export function nested(depth: number, inner: unknown = 1): unknown {
  let v: unknown = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Nested GeometryCollections `depth` deep, built without recursion. */
function nestedCollections(depth: number): unknown {
  let v: unknown = point;
  for (let i = 0; i < depth; i++) v = { type: 'GeometryCollection', geometries: [v] };
  return v;
}

const ring = (n: number) =>
  Array.from({ length: n + 1 }, (_, i) => {
    const a = (2 * Math.PI * (i % n)) / n;
    return [37.79 + 0.01 * Math.cos(a), 37.01 + 0.01 * Math.sin(a)];
  });

/** A valid value of each named type: what the other arguments get while one is fuzzed. */
export function validValue(type: GraphQLInputType, seen: Set<string> = new Set()): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, seen);
  if (isListType(type)) return [validValue(type.ofType, seen)];
  const named = getNamedType(type);
  if (isEnumType(named)) return new EnumLiteral(named.getValues()[0].name);
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    if (seen.has(named.name)) return value;
    for (const field of Object.values(named.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = validValue(field.type, new Set([...seen, named.name]));
    }
    return value;
  }
  switch (named.name) {
    case 'ID':
      return '1';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'Date':
      return '2026-01-15';
    case 'DateTimeISO':
      return '2026-01-15T10:00:00Z';
    case 'GeoJSON':
      return point;
    default:
      return 'x';
  }
}

/** Values wrong for any type, or for the shape of an input. */
const ANY_TYPE: unknown[] = [null, {}, [], true, 1.5, 'x', { a: { b: { c: 1 } } }, nested(200)];

const CONTROL = ['a\u0000b', '\u0000', 'a\u0001b', '\u001b[31m', 'a\u007fb', 'a\u0008b'];

const STRINGS: unknown[] = [
  '',
  ' ',
  '\t\n',
  'x'.repeat(100_000),
  '\ud800',
  'a\udfffb',
  '%',
  "' OR '1'='1",
  '\\',
  '"; DROP TABLE users; --',
  'İıŞşĞğ',
  '🛰️',
  'null',
  '-1',
  '2026-02-30',
  '{"type":"Point"}',
  '%00',
  '$1',
  '?',
  '::',
  '\u202e',
];

const IDS: unknown[] = ['', '0', '-1', '1.5', 'abc', '9999999999999999999', '2147483648', '1e3', ' 1', '0x10', '٣', 2147483648, -5, 'x'.repeat(10_000)];

const INTS: unknown[] = [0, -1, 2147483647, -2147483648, 2147483648, -2147483649, 1.5, '1', 1e300];

const FLOATS: unknown[] = [0, -0.0, -1, 1e308, -1e308, 5e-324, 1.7976931348623157e308, 1e-12, -180.000001, 90.0000001, 2 ** 53 + 1, '1', 'NaN', 'Infinity'];

const DATES: unknown[] = [
  '2026-02-30',
  '0000-00-00',
  '2026-13-01',
  '2026-00-10',
  '2025-02-29',
  '2026-1-1',
  '26-01-01',
  '99999-01-01',
  '0000-01-01',
  '9999-12-31',
  'yesterday',
  'infinity',
  '-infinity',
  'epoch',
  'today',
  'allballs',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01 ',
  '2026/01/01',
  '',
  20260101,
];

const DATE_TIMES: unknown[] = [
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '2026-01-01T25:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+99:00',
  'now',
  'infinity',
  '',
  0,
  -8.64e15,
];

const GEOJSON: unknown[] = [
  { type: 'Polygon', coordinates: [[]] },
  { type: 'Polygon', coordinates: [] },
  { type: 'Polygon', coordinates: [[[]]] },
  { type: 'Polygon', coordinates: [[[1]]] },
  { type: 'Polygon', coordinates: [[[1, 2], [3, 4]]] },
  { type: 'Polygon', coordinates: [[[37, 37], [38, 37], [38, 38], [37, 38]]] },
  { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] },
  { type: 'Polygon', coordinates: [[[37.78, 37.0], [37.8, 37.02], [37.8, 37.0], [37.78, 37.02], [37.78, 37.0]]] },
  { type: 'Polygon', coordinates: [ring(12_000)] },
  { type: 'Polygon', coordinates: null },
  { type: 'Polygon', coordinates: 'x' },
  { type: 'Polygon', coordinates: [[{}]] },
  { type: 'MultiPolygon', coordinates: [[[]]] },
  { type: 'MultiPolygon', coordinates: [[]] },
  { type: 'MultiPolygon', coordinates: [] },
  { type: 'MultiPolygon', coordinates: [[[[]]]] },
  { type: 'LineString', coordinates: [] },
  { type: 'LineString', coordinates: [[1]] },
  { type: 'LineString', coordinates: [[0, 0], [180, 0]] },
  { type: 'LineString', coordinates: [[-179, 0], [179, 0]] },
  { type: 'LineString', coordinates: [[0, 89.9], [180, 89.9]] },
  { type: 'MultiLineString', coordinates: [[]] },
  { type: 'MultiLineString', coordinates: [] },
  { type: 'Point', coordinates: [] },
  { type: 'Point', coordinates: [1] },
  { type: 'Point', coordinates: [1, 2, 3, 4] },
  { type: 'Point', coordinates: ['a', 'b'] },
  { type: 'Point', coordinates: [null, null] },
  { type: 'Point', coordinates: [1e308, 1e308] },
  { type: 'Point', coordinates: [200, 100] },
  { type: 'Point', coordinates: [[1, 2]] },
  { type: 'Point', coordinates: [37.79, 37.01], crs: { type: 'name', properties: { name: 'EPSG:999999' } } },
  { type: 'Point', coordinates: [37.79, 37.01], bbox: 'x' },
  { type: 'MultiPoint', coordinates: [[]] },
  { type: 'MultiPoint', coordinates: [] },
  { type: 'GeometryCollection', geometries: [] },
  { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [[]] }] },
  { type: 'GeometryCollection', geometries: [null] },
  { type: 'GeometryCollection', geometries: 'x' },
  nestedCollections(50),
  nestedCollections(5_000),
  { type: 'Point', coordinates: nested(5_000, [1, 2]) },
  { type: 'Polygon', coordinates: nested(100) },
  { type: 'Feature', properties: {}, geometry: null },
  { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[]] } },
  { type: 'Feature' },
  { type: 'FeatureCollection', features: [] },
  { type: 'Pointy', coordinates: [1, 2] },
  { type: '', coordinates: [1, 2] },
  { type: null },
  { coordinates: [1, 2] },
  { type: 'Point\u0000', coordinates: [1, 2] },
  { type: 'Point', coordinates: [37.79, 37.01], 'x\u0000': 1 },
  'not json',
  '{"type":"Point","coordinates":[1,2]',
  '{"type":"Polygon","coordinates":[[]]}',
  5,
  [],
  [1, 2],
  square(37.78, 37.0, 0.02),
];

/** Bad values for one leaf, by its named type; `must` are always sent, the rest sampled. */
function badValuesFor(named: GraphQLNamedType): { must: unknown[]; pool: unknown[] } {
  if (isEnumType(named)) {
    const first = named.getValues()[0].name;
    return { must: [new EnumLiteral('NOPE')], pool: [first.toLowerCase(), '', 1, new EnumLiteral('__typename'), `${first}\u0000`] };
  }
  switch (named.name) {
    case 'String':
      return { must: ['a\u0000b', ''], pool: [...CONTROL, ...STRINGS] };
    case 'ID':
      return { must: ['\u0000', '-1'], pool: [...CONTROL, ...IDS] };
    case 'Int':
      return { must: [2147483647, -2147483648, 0], pool: INTS };
    case 'Float':
      return { must: [1e308, -1e308, 0], pool: FLOATS };
    case 'Boolean':
      return { must: ['true'], pool: [1, null] };
    case 'Date':
      return { must: ['2026-02-30', '0000-00-00', '2026-13-01', 'yesterday'], pool: DATES };
    case 'DateTimeISO':
      return { must: ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z'], pool: DATE_TIMES };
    case 'GeoJSON':
      return {
        must: [
          { type: 'Polygon', coordinates: [[]] },
          { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] },
        ],
        pool: GEOJSON,
      };
    default:
      return { must: ['a\u0000b'], pool: STRINGS };
  }
}

/** Every leaf of an argument's type: the argument itself, its input fields (recursively), list items. */
function leavesOf(type: GraphQLInputType, path: Path = [], seen: Set<string> = new Set()): Leaf[] {
  const out: Leaf[] = [{ path, type }];
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [...out, ...leavesOf(nullable.ofType, [...path, 0], seen).slice(1)];
  if (isInputObjectType(nullable) && !seen.has(nullable.name)) {
    for (const field of Object.values(nullable.getFields())) {
      out.push(...leavesOf(field.type, [...path, field.name], new Set([...seen, nullable.name])));
    }
  }
  return out;
}

/** The argument's valid value with `bad` put at `path` (objects and lists on the way made valid). */
function withValueAt(type: GraphQLInputType, path: Path, bad: unknown): unknown {
  if (path.length === 0) return bad;
  const nullable = getNullableType(type) as GraphQLInputType;
  const [head, ...rest] = path;
  if (isListType(nullable)) return [withValueAt(nullable.ofType, rest, bad)];
  if (!isInputObjectType(nullable)) throw new Error(`no field ${String(head)} in ${String(type)}`);
  const base = validValue(nullable) as Record<string, unknown>;
  return { ...base, [head]: withValueAt(nullable.getFields()[head as string].type, rest, bad) };
}

/** Punctuation queued while printing a literal. */
class Token {
  constructor(readonly text: string) {}
}

/** A JavaScript value as a GraphQL literal (enums bare). Undefined when it has none (NaN, ±Infinity). */
export function literal(value: unknown): string | undefined {
  if (value instanceof EnumLiteral) return value.name;
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  // Iterative, so that values nested thousands deep print without exhausting the stack.
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Token) {
      out.push(v.text);
    } else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Token(']'));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], ...(i > 0 ? [new Token(', ')] : []));
    } else if (typeof v === 'object' && v !== null && !(v instanceof EnumLiteral)) {
      out.push('{');
      stack.push(new Token('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(entries[i][0])) return undefined;
        stack.push(entries[i][1], new Token(`${entries[i][0]}: `), ...(i > 0 ? [new Token(', ')] : []));
      }
    } else {
      const s = literal(v);
      if (s === undefined) return undefined;
      out.push(s);
    }
  }
  return out.join('');
}

/** A value as JSON text, iteratively: JSON.stringify exhausts the stack on values nested thousands deep. */
export function toJson(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Token) out.push(v.text);
    else if (v instanceof EnumLiteral) out.push(JSON.stringify(v.name));
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Token(']'));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], ...(i > 0 ? [new Token(',')] : []));
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      stack.push(new Token('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], new Token(`${JSON.stringify(entries[i][0])}:`), ...(i > 0 ? [new Token(',')] : []));
    } else out.push(JSON.stringify(v) ?? 'null');
  }
  return out.join('');
}

/** A short description of a value for the report. */
export function describe(value: unknown): string {
  const s = toJson(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Fields of an object type worth selecting: scalars and enums with no required arguments. */
function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) parts.push(field.name);
    else if (depth < 2 && ['edges', 'node', 'pageInfo'].includes(field.name)) parts.push(`${field.name} ${selection(field.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** A place in a document where a field with arguments is called: a root field, or one nested under it. */
export interface Site {
  operation: 'query' | 'mutation';
  /** The field, and the fields above it (root first) with their valid arguments. */
  chain: { field: GraphQLField<unknown, unknown>; fixedArgs: Record<string, unknown> }[];
}

/** Valid values for the required arguments of a field. */
function requiredArgs(field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of field.args) if (isNonNullType(arg.type) && arg.defaultValue === undefined) out[arg.name] = validValue(arg.type);
  return out;
}

/** Every root field, and the fields with arguments one or two levels under the root queries' results. */
export function sitesOf(schema: GraphQLSchema): Site[] {
  const sites: Site[] = [];
  for (const [operation, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      sites.push({ operation, chain: [{ field, fixedArgs: requiredArgs(field) }] });
      if (operation !== 'query') continue;
      // Fields with arguments on what the query returns (through a connection's edges.node).
      const visit = (type: GraphQLObjectType, chain: Site['chain'], depth: number) => {
        for (const sub of Object.values(type.getFields())) {
          const subType = getNamedType(sub.type);
          if (sub.args.length) sites.push({ operation, chain: [...chain, { field: sub, fixedArgs: requiredArgs(sub) }] });
          if (depth < 2 && isObjectType(subType) && ['edges', 'node'].includes(sub.name)) visit(subType, [...chain, { field: sub, fixedArgs: {} }], depth + 1);
        }
      };
      // A few rows are enough to run the nested fields; a whole page of them is only slower.
      const type = getNamedType(field.type);
      const rootArgs = { ...requiredArgs(field), ...(field.args.some((a) => a.name === 'first') ? { first: 3 } : {}) };
      if (isObjectType(type)) visit(type, [{ field, fixedArgs: rootArgs }], 0);
    }
  }
  return sites;
}

/**
 * The cases of one site: for each leaf of each argument of its last field, the leaf's must-send
 * bad values and `extra` sampled ones, as a variable or (some) inline as a literal.
 */
export function casesOf(site: Site, rng: Rng, extra: number): FuzzCase[] {
  const target = site.chain[site.chain.length - 1];
  const cases: FuzzCase[] = [];
  const name = site.chain.map((c) => c.field.name).join('.');
  for (const arg of target.field.args) {
    for (const leaf of leavesOf(arg.type)) {
      const named = getNamedType(leaf.type);
      const nullable = getNullableType(leaf.type);
      // A list gets lists nested too deep and too long; its items get the values of their type.
      const { must, pool } = isListType(nullable)
        ? { must: [nested(100), Array.from({ length: 1_000 }, () => validValue(nullable.ofType))], pool: [[null], 'x', [[validValue(nullable.ofType)]]] }
        : isInputObjectType(named)
          ? { must: [null, {}], pool: ANY_TYPE }
          : badValuesFor(named);
      const values = [...must, ...sample(rng, [...pool, ...(leaf.path.length ? [] : ANY_TYPE)], extra)];
      for (const bad of values) {
        const value = withValueAt(arg.type, leaf.path, bad);
        const where = `${name}(${[arg.name, ...leaf.path.map((p) => (p === 0 ? '[0]' : p))].join('.').replace(/\.\[0\]/g, '[0]')})`;
        cases.push(build(site, arg, value, rng() < 0.25, `${where} = ${describe(bad)}`, rng() < 0.15));
      }
    }
  }
  return cases;
}

function build(site: Site, arg: GraphQLArgument, value: unknown, inline: boolean, label: string, anonymous: boolean): FuzzCase {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  let counter = 0;
  const argument = (a: GraphQLArgument, v: unknown): string => {
    const lit = inline ? literal(v) : undefined;
    if (lit !== undefined) return `${a.name}: ${lit}`;
    const name = `v${counter++}`;
    definitions.push(`$${name}: ${String(a.type)}`);
    variables[name] = v;
    return `${a.name}: $${name}`;
  };
  const target = site.chain[site.chain.length - 1];
  const call = (link: Site['chain'][number], isTarget: boolean) => {
    const args = link.field.args
      .filter((a) => (isTarget && a === arg) || a.name in link.fixedArgs)
      .map((a) => argument(a, isTarget && a === arg ? value : link.fixedArgs[a.name]));
    return `${link.field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  };
  let body = `${call(target, true)} ${selection(target.field.type)}`;
  for (let i = site.chain.length - 2; i >= 0; i--) body = `${call(site.chain[i], false)} { ${body} }`;
  const query = `${site.operation}${definitions.length ? `(${definitions.join(', ')})` : ''} { ${body} }`;
  return { label: `${anonymous ? 'anonymous ' : ''}${label}${inline ? ' (inline)' : ''}`, query, variables, anonymous };
}

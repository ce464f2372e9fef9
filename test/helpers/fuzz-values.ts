import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType, type GraphQLNamedType } from 'graphql';

/**
 * The values the fuzz test sends: a valid one of each type (for the arguments not being fuzzed),
 * and the bad ones of each type, those it must always try and a pool it samples from.
 */

/** An enum value to print bare in a GraphQL literal (in variables it is just its name). */
export class EnumLiteral {
  constructor(readonly name: string) {}
  toJSON() {
    return this.name;
  }
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
export const ANY_TYPE: unknown[] = [null, {}, [], true, 1.5, 'x', { a: { b: { c: 1 } } }, nested(200)];

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
export function badValuesFor(named: GraphQLNamedType): { must: unknown[]; pool: unknown[] } {
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

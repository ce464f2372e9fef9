import { GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { check, HintError } from '@placemarkio/check-geojson';
import type { GeoJSON } from 'geojson';
import { badInput } from '../common/errors/app-error';
import { inputProblem } from '../common/input/input-guard.plugin';
import { MAX_INPUT_VERTICES } from './geo.service';
import { GeoJsonText } from './geojson-text';

/** A GeoJSON geometry object as it travels through the API. PostGIS parses and checks it. */
export interface GeoJsonGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
  [key: string]: unknown;
}

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

/**
 * Deepest nesting of arrays and objects accepted: a Feature holding a MultiPolygon is 6 levels deep;
 * more is only reached by GeometryCollections inside GeometryCollections (RFC 7946 3.1.8 asks
 * writers to avoid those), and much more would exhaust the stack of every recursive reader.
 */
export const MAX_GEOJSON_DEPTH = 20;

/** How deep `value` nests arrays and objects, counted without recursion; stops past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A piece of the checked JSON text, to show where an issue is. */
function excerpt(json: string, from: number, to: number): string {
  const text = json.slice(from, Math.max(to, from + 1));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Accepts a GeoJSON geometry, or a Feature (its geometry is taken). The structure is checked by
 * check-geojson, whose messages say what is wrong; PostGIS then parses the coordinates and checks
 * the geometry's validity.
 */
function toGeometry(value: unknown): GeoJsonGeometry {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw badInput('invalid GeoJSON: a string was given that is not JSON');
    }
    // The input guard saw only the string; what it encodes follows the same text rules.
    const problem = inputProblem('GeoJSON', v);
    if (problem) throw badInput(`invalid GeoJSON: ${problem}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw badInput(`invalid GeoJSON: expected an object with a "type", got ${Array.isArray(v) ? 'an array' : typeof v}`);
  }
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !(GEOMETRY_TYPES.has(type) || type === 'Feature')) {
    throw badInput(`invalid GeoJSON: "type" must be one of ${[...GEOMETRY_TYPES].join(', ')} or Feature, got ${JSON.stringify(type)}`);
  }
  if (depthOf(v, MAX_GEOJSON_DEPTH) > MAX_GEOJSON_DEPTH) {
    throw badInput(`invalid GeoJSON: arrays and objects nested more than ${MAX_GEOJSON_DEPTH} levels deep`);
  }
  // Before the structure check (which stringifies and re-parses the whole object): a geometry over
  // the vertex limit is refused at the cost of one walk over its arrays.
  const vertices = countVertices(v);
  if (vertices > MAX_INPUT_VERTICES) {
    throw badInput(`the geometry has ${vertices} vertices; at most ${MAX_INPUT_VERTICES} are accepted`);
  }
  const json = JSON.stringify(v);
  let checked: GeoJSON;
  try {
    checked = check(json);
  } catch (err) {
    // The text is JSON.stringify's, so it is valid JSON: an "Invalid JSON" issue is check-geojson
    // failing on a shape it does not expect (an empty ring), never something to show a client.
    const issues = err instanceof HintError ? err.issues.filter((i) => !i.message.startsWith('Invalid JSON')) : [];
    const described = issues.map((i) => `${i.message.replace(/\.$/, '')} (at ${excerpt(json, i.from, i.to)})`);
    throw badInput(`invalid GeoJSON: ${described.length ? described.join('; ') : 'the coordinates are not arrays of positions as the type needs'}`);
  }
  if (checked.type === 'Feature') {
    if (!checked.geometry) throw badInput('invalid GeoJSON: the Feature has no geometry');
    return checked.geometry as unknown as GeoJsonGeometry;
  }
  return checked as unknown as GeoJsonGeometry;
}

/**
 * Positions (arrays that start with a number) in a GeoJSON object's `coordinates`, `geometries` and
 * `geometry`, however deeply nested; iterative, so a hostile nesting cannot overflow the stack.
 */
function countVertices(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      if (typeof v[0] === 'number') count++;
      else for (const item of v) stack.push(item);
    } else if (typeof v === 'object' && v !== null) {
      const o = v as { coordinates?: unknown; geometries?: unknown; geometry?: unknown };
      stack.push(o.coordinates, o.geometries, o.geometry);
    }
  }
  return count;
}

export const GeoJSONScalar = new GraphQLScalarType<GeoJsonGeometry, unknown>({
  name: 'GeoJSON',
  description:
    'A GeoJSON geometry object (RFC 7946): Point, LineString, Polygon, their Multi* forms or a ' +
    'GeometryCollection, with x = easting/longitude and y = northing/latitude. On input a Feature is ' +
    'accepted too (its geometry is used); its coordinate system is given by the `srid` beside it. On ' +
    'output it is in EPSG:4326 unless another `srid` was asked for, in which case it carries a `crs` member. ' +
    "A layer connection's `featureCollection` field returns a whole FeatureCollection of such geometries.",
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc7946',
  // A string is GeoJSON text from PostGIS (a layer row's geometry): it goes into the answer as it is.
  serialize: (value) => (typeof value === 'string' ? new GeoJsonText(value) : value),
  parseValue: (value) => toGeometry(value),
  parseLiteral: (ast: ValueNode, variables) => {
    if (ast.kind !== Kind.OBJECT && ast.kind !== Kind.STRING) {
      throw badInput('GeoJSON must be an object');
    }
    return toGeometry(valueFromASTUntyped(ast, variables));
  },
});

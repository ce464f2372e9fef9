import { execFileSync } from 'node:child_process';

/**
 * The independent references the geodesy tests compare the API with: PROJ's `cs2cs` and `projinfo`
 * (Debian's proj-bin) and GeographicLib's `GeodSolve` and `Planimeter` (geographiclib-tools), both
 * installed by scripts/setup-references.sh. Each call runs the tool once over many input lines.
 * Coordinates are [longitude, latitude] here, as in GeoJSON; the tools take latitude first.
 */

export type LonLat = [number, number];

/** Runs a reference tool; a missing one says how to install it. */
function exec(tool: string, args: string[], input?: string): string {
  try {
    return execFileSync(tool, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: run scripts/setup-references.sh (PROJ's and GeographicLib's command-line tools)`);
    }
    throw err;
  }
}

function run(tool: string, args: string[], lines: string[]): number[][] {
  if (lines.length === 0) return [];
  const out = exec(tool, args, `${lines.join('\n')}\n`);
  const rows = out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).map(Number));
  if (rows.length !== lines.length || rows.some((r) => r.some((v) => !Number.isFinite(v)))) {
    throw new Error(`${tool} ${args.join(' ')}: ${rows.length} answers for ${lines.length} lines:\n${out.slice(0, 500)}`);
  }
  return rows;
}

/** The inverse geodesic problem: distance (m) and azimuths (degrees clockwise from north). */
export function inverse(pairs: [LonLat, LonLat][]): { s12: number; azi1: number; azi2: number }[] {
  return run('GeodSolve', ['-i', '-p', '12'], pairs.map(([a, b]) => `${a[1]} ${a[0]} ${b[1]} ${b[0]}`)).map(([azi1, azi2, s12]) => ({
    azi1,
    azi2,
    s12,
  }));
}

/** The direct geodesic problem: where `s` metres along azimuth `azi` from `a` ends, and the azimuth there. */
export function direct(items: [LonLat, number, number][]): { at: LonLat; azi2: number }[] {
  return run('GeodSolve', ['-p', '12'], items.map(([a, azi, s]) => `${a[1]} ${a[0]} ${azi} ${s}`)).map(([lat, lon, azi2]) => ({
    at: [lon, lat],
    azi2,
  }));
}

/**
 * Distance from each point to the geodesic between each pair of vertices (an edge): the foot is
 * found by stepping along the edge until the geodesic to the point meets it at a right angle
 * (Karney's interception step), all cases at once per step.
 */
export function edgeDistances(cases: { p: LonLat; a: LonLat; b: LonLat }[]): number[] {
  if (cases.length === 0) return [];
  const edges = inverse(cases.map((c) => [c.a, c.b]));
  let s = cases.map((_, i) => edges[i].s12 / 2);
  for (let step = 0; step < 8; step++) {
    const feet = direct(cases.map((c, i) => [c.a, edges[i].azi1, s[i]]));
    const toP = inverse(cases.map((c, i) => [feet[i].at, c.p]));
    s = s.map((si, i) => Math.min(Math.max(si + toP[i].s12 * Math.cos(((toP[i].azi1 - feet[i].azi2) * Math.PI) / 180), 0), edges[i].s12));
  }
  const feet = direct(cases.map((c, i) => [c.a, edges[i].azi1, s[i]]));
  return inverse(cases.map((c, i) => [feet[i].at, c.p])).map((r) => r.s12);
}

/** The rings (or the line) of a GeoJSON geometry, as lists of vertices. */
export function paths(geometry: { type: string; coordinates: any }): LonLat[][] {
  switch (geometry.type) {
    case 'LineString':
      return [geometry.coordinates];
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates;
    case 'MultiPolygon':
      return geometry.coordinates.flat();
    default:
      throw new Error(`no paths in a ${geometry.type}`);
  }
}

/** Geodesic distance from each point to the edges of its line or polygon boundary (points inside a polygon are the caller's to know). */
export function distancesToPaths(cases: { p: LonLat; paths: LonLat[][] }[]): number[] {
  const flat: { p: LonLat; a: LonLat; b: LonLat }[] = [];
  const owner: number[] = [];
  cases.forEach((c, i) => {
    for (const path of c.paths) {
      for (let j = 0; j + 1 < path.length; j++) {
        flat.push({ p: c.p, a: path[j], b: path[j + 1] });
        owner.push(i);
      }
    }
  });
  const result = cases.map(() => Infinity);
  edgeDistances(flat).forEach((d, j) => (result[owner[j]] = Math.min(result[owner[j]], d)));
  return result;
}

/** Planimeter over many polygons (or lines) at once: a blank line ends each; one answer line each. */
function planimeterRun(args: string[], paths: LonLat[][]): number[][] {
  if (paths.length === 0) return [];
  const input = paths.map((path) => path.map(([x, y]) => `${y} ${x}`).join('\n')).join('\n\n');
  const out = exec('Planimeter', [...args, '-p', '9'], `${input}\n`);
  const rows = out.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/).map(Number));
  if (rows.length !== paths.length) throw new Error(`Planimeter: ${rows.length} answers for ${paths.length} paths`);
  return rows;
}

/** Planimeter: perimeter (m) and signed area (m², positive counterclockwise) of each closed ring. */
export function planimeter(rings: LonLat[][]): { perimeter: number; area: number }[] {
  return planimeterRun([], rings.map((ring) => ring.slice(0, -1))).map(([, perimeter, area]) => ({ perimeter, area }));
}

/** Planimeter in polyline mode: the geodesic length (m) of each line. */
export function lineLengths(lines: LonLat[][]): number[] {
  return planimeterRun(['-l'], lines).map(([, length]) => length);
}

/** PROJ's description of a CRS (PROJJSON). */
export const projJson = (srid: number): any => JSON.parse(exec('projinfo', ['-q', '-o', 'PROJJSON', '--single-line', `EPSG:${srid}`]));

const axisOrder = new Map<number, boolean>();
/** Whether the CRS's definition puts northing (or latitude) first, as `cs2cs` then reads and writes it. */
function northingFirst(srid: number): boolean {
  if (!axisOrder.has(srid)) {
    axisOrder.set(srid, /north/i.test(projJson(srid).coordinate_system.axis[0].direction));
  }
  return axisOrder.get(srid)!;
}

/** EPSG:4326 longitude/latitude to x/y (easting first) in `srid`, by cs2cs. */
export function toCrs(srid: number, points: LonLat[]): [number, number][] {
  const swap = northingFirst(srid);
  return run('cs2cs', ['-f', '%.9f', 'EPSG:4326', `EPSG:${srid}`], points.map(([x, y]) => `${y} ${x}`)).map(([a, b]) =>
    swap ? [b, a] : [a, b],
  );
}

/** x/y (easting first) in `srid` to EPSG:4326 longitude/latitude, by cs2cs. */
export function fromCrs(srid: number, points: [number, number][]): LonLat[] {
  const swap = northingFirst(srid);
  return run('cs2cs', ['-f', '%.14f', `EPSG:${srid}`, 'EPSG:4326'], points.map(([x, y]) => (swap ? `${y} ${x}` : `${x} ${y}`))).map(
    ([lat, lon]) => [lon, lat],
  );
}

/** Nizip, and a place inside each TUREF TM zone's area of use (EPSG:5253-5259). */
export const PLACES: { name: string; srid: number; at: LonLat }[] = [
  { name: 'Nizip', srid: 5257, at: [37.79, 37.01] },
  { name: 'TM27', srid: 5253, at: [27.1, 39.4] },
  { name: 'TM30', srid: 5254, at: [30.2, 39.0] },
  { name: 'TM33', srid: 5255, at: [33.1, 39.3] },
  { name: 'TM36', srid: 5256, at: [35.6, 38.7] },
  { name: 'TM39', srid: 5257, at: [39.4, 39.9] },
  { name: 'TM42', srid: 5258, at: [41.9, 39.6] },
  { name: 'TM45', srid: 5259, at: [44.1, 39.4] },
];

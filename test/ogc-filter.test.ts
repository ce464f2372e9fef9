import { startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { GRAPHQL_LIST, linkOf, OGC_COLLECTIONS, ogcGet } from './helpers/ogc';
import { FOLDING_TABLES } from '../src/ogc/cql2/text-folding';

/**
 * OGC API - Features filtering on the Nizip sample data: queryables, query-parameter equalities,
 * CQL2 (text and JSON), datetime, sortby with keyset paging, properties. The references are
 * independent of the SQL under test: the unfiltered features evaluated in JavaScript, and the
 * GraphQL lists' own filters. Clients (OWSLib, GDAL) are in ogc-filter-clients.test.ts.
 */
let app: TestApp;
const token: Record<string, string> = {};
const COLLECTIONS = OGC_COLLECTIONS;
/** A box over part of Nizip (west of the centre). */
const WEST: [number, number, number, number] = [37.76, 36.98, 37.795, 37.03];
const LAYER_RESOURCES = ['CAMERAS', 'NEIGHBOURHOODS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS', 'ASSETS', 'FAULTS'] as const;

type Feature = { id: number; geometry: unknown; properties: Record<string, unknown> };
/** Every feature of each collection, as the administrator reads it without a filter. */
const all: Record<string, Feature[]> = {};
const queryables: Record<string, Record<string, { type?: string; format?: string; 'x-ogc-role'?: string }>> = {};

const q = encodeURIComponent;
const items = (collection: string, query: string, as?: string | null) => ogcGet(app, `/ogc/collections/${collection}/items?${query}`, as);
const matched = async (collection: string, query: string, as?: string | null): Promise<number> => {
  const res = await items(collection, `limit=1&${query}`, as);
  if (res.status !== 200) throw new Error(`${collection}?${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.numberMatched;
};
const gqlCount = async (list: string, args: string, as?: string): Promise<number> => {
  const res = await app.gql(`{ ${list}(${args}) { totalCount } }`, undefined, as);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data[list].totalCount;
};

/** Every feature of a collection, following `next` links (limit 10000: one page here). */
async function fetchAll(collection: string, as?: string | null, query = ''): Promise<Feature[]> {
  const features: Feature[] = [];
  let href: string | undefined = `/ogc/collections/${collection}/items?limit=10000${query ? `&${query}` : ''}`;
  while (href) {
    const res = await ogcGet(app, href, as);
    expect(res.status).toBe(200);
    features.push(...res.body.features);
    href = linkOf(res.body, 'next');
  }
  return features;
}

/** A CQL2 text literal of a JSON value (strings quoted, quotes doubled). */
const literal = (v: unknown): string => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  const k = app.knex;
  const [unit] = await k('org_units').select('id').orderBy('id').limit(1);
  ({ token: token.west } = await insertUserWithGrants(k, unit.id, 'west-reader', LAYER_RESOURCES.map((resource) => ({ resource, action: 'READ' as const, box: WEST }))));
  ({ token: token.noStream } = await insertUserWithGrants(k, unit.id, 'no-stream', [{ resource: 'CAMERAS', action: 'READ' }]));
  ({ token: token.westStream } = await insertUserWithGrants(k, unit.id, 'west-stream', [
    { resource: 'CAMERAS', action: 'READ' },
    { resource: 'CAMERAS', action: 'READ', box: WEST, fields: ['streamUrl'] },
  ]));
  ({ token: token.assetsOnly } = await insertUserWithGrants(k, unit.id, 'assets-only', [{ resource: 'ASSETS', action: 'READ' }]));
  for (const c of COLLECTIONS) {
    all[c] = await fetchAll(c);
    const res = await ogcGet(app, `/ogc/collections/${c}/queryables`);
    queryables[c] = res.body.properties;
  }
}, 600000);
afterAll(() => app.close());

describe('queryables', () => {
  it('is a JSON Schema per collection, linked from the collection, with the type of every property the features carry', async () => {
    for (const c of COLLECTIONS) {
      const res = await fetch(`${app.url}/ogc/collections/${c}/queryables`, { headers: { authorization: `Bearer ${app.admin.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      const doc = (await res.json()) as any;
      expect(doc).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false });
      expect(doc.$id).toBe(`${app.url}/ogc/collections/${c}/queryables`);
      const collection = (await ogcGet(app, `/ogc/collections/${c}`)).body;
      expect(linkOf(collection, 'http://www.opengis.net/def/rel/ogc/1.0/queryables', 'application/schema+json')).toBe(doc.$id);
      expect(doc.properties.geometry).toMatchObject({ 'x-ogc-role': 'primary-geometry', format: expect.stringMatching(/^geometry-(point|linestring|multipolygon)$/) });
      expect(doc.properties.id).toMatchObject({ type: 'integer', 'x-ogc-role': 'id' });
      // Every property of the features is queryable (the administrator reads them all), with a type its values have.
      const names = Object.keys(all[c][0].properties);
      expect(Object.keys(doc.properties).sort()).toEqual([...new Set([...names, 'id', 'geometry'])].sort());
      for (const name of names) {
        const schema = doc.properties[name];
        for (const f of all[c]) {
          const v = f.properties[name];
          if (v === null) continue;
          const ok =
            schema.format === 'date-time' ? typeof v === 'string' && !Number.isNaN(Date.parse(v as string))
            : schema.format === 'date' ? typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v as string)
            : schema.type === 'integer' ? Number.isInteger(v)
            : schema.type === 'number' ? typeof v === 'number'
            : typeof v === schema.type;
          if (!ok) throw new Error(`${c}.${name}: ${JSON.stringify(v)} is not ${JSON.stringify(schema)}`);
        }
      }
    }
  });

  it('marks the property datetime filters on, and gives its span as the temporal extent', async () => {
    const expected: Record<string, string> = { faults: 'reportedAt', assets: 'purchasedOn' };
    for (const c of COLLECTIONS) {
      const time = expected[c] ?? 'updatedAt';
      const roles = Object.entries(queryables[c]).filter(([, s]) => s['x-ogc-role'] === 'primary-instant').map(([n]) => n);
      expect({ c, roles }).toEqual({ c, roles: [time] });
      const collection = (await ogcGet(app, `/ogc/collections/${c}`)).body;
      // The whole table, disposed assets too: the extent covers every row the token may read.
      const column = { reportedAt: 'reported_at', purchasedOn: 'purchased_on', updatedAt: 'updated_at' }[time]!;
      const table = c.replace('-', '_');
      const { rows } = await app.knex.raw(`SELECT to_json(min(??)) #>> '{}' AS min, to_json(max(??)) #>> '{}' AS max FROM ??`, [column, column, table]);
      const [{ min, max }] = rows;
      const interval = collection.extent.temporal.interval[0];
      expect(collection.extent.temporal.trs).toBe('http://www.opengis.net/def/uom/ISO-8601/0/Gregorian');
      if (time === 'purchasedOn') {
        expect(interval).toEqual([`${min}T00:00:00Z`, `${max}T23:59:59Z`]);
      } else {
        expect(Date.parse(interval[0])).toBeLessThanOrEqual(Date.parse(min));
        expect(Date.parse(interval[0])).toBeGreaterThan(Date.parse(min) - 1000);
        expect(Date.parse(interval[1])).toBeGreaterThanOrEqual(Date.parse(max));
        expect(Date.parse(interval[1])).toBeLessThan(Date.parse(max) + 1000);
      }
    }
  });

  it('leaves out a sensitive field the token may not read, and a reference to rows it may not read', async () => {
    const admin = queryables.cameras;
    expect(admin.streamUrl).toEqual({ type: 'string' });
    const none = (await ogcGet(app, '/ogc/collections/cameras/queryables', token.noStream)).body.properties;
    expect(none.streamUrl).toBeUndefined();
    expect(none.name).toEqual({ type: 'string' });
    const some = (await ogcGet(app, '/ogc/collections/cameras/queryables', token.westStream)).body.properties;
    expect(some.streamUrl).toEqual({ type: 'string' });
    const assets = (await ogcGet(app, '/ogc/collections/assets/queryables', token.assetsOnly)).body.properties;
    // No grant on remote units; cameras the public role reads some of, so cameraId stays.
    expect(assets.remoteUnitId).toBeUndefined();
    expect(assets.cameraId).toEqual({ type: 'integer' });
    expect(queryables.assets.remoteUnitId).toEqual({ type: 'integer' });
  });
});

describe('every queryable of every collection, filtered by a value from the data', () => {
  it('matches as many features as the unfiltered features that have the value, as a query parameter and in CQL2 text and JSON', async () => {
    let checked = 0;
    for (const c of COLLECTIONS) {
      for (const [name, schema] of Object.entries(queryables[c])) {
        if (name === 'geometry') continue;
        const valueOf = (f: Feature) => (name === 'id' ? f.id : f.properties[name]);
        const present = all[c].filter((f) => valueOf(f) !== null);
        const nulls = all[c].length - present.length;
        expect({ c, name, nulls: await matched(c, `filter=${q(`${name} IS NULL`)}`) }).toEqual({ c, name, nulls });
        if (present.length === 0) continue;
        const v = valueOf(present[Math.floor(present.length / 2)]);
        if (schema.format === 'date-time') {
          // Timestamps hold microseconds, JSON milliseconds: the millisecond the value names.
          const from = new Date(Date.parse(v as string)).toISOString();
          const to = new Date(Date.parse(v as string) + 1).toISOString();
          const expected = present.filter((f) => Date.parse(valueOf(f) as string) === Date.parse(v as string)).length;
          const filter = `${name} >= TIMESTAMP('${from}') AND ${name} < TIMESTAMP('${to}')`;
          expect({ c, name, n: await matched(c, `filter=${q(filter)}`) }).toEqual({ c, name, n: expected });
          checked++;
          continue;
        }
        const cql = schema.format === 'date' ? `DATE('${v}')` : literal(v);
        const expected = present.filter((f) => valueOf(f) === v).length;
        expect(expected).toBeGreaterThan(0);
        const json = JSON.stringify({ op: '=', args: [{ property: name }, schema.format === 'date' ? { date: v } : v] });
        const counts = {
          parameter: await matched(c, `${name}=${q(String(v))}`),
          text: await matched(c, `filter=${q(`${name} = ${cql}`)}`),
          json: await matched(c, `filter-lang=cql2-json&filter=${q(json)}`),
          not: await matched(c, `filter=${q(`NOT (${name} = ${cql})`)}`),
        };
        expect({ c, name, ...counts }).toEqual({ c, name, parameter: expected, text: expected, json: expected, not: present.length - expected });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('evaluates LIKE, IN, BETWEEN, comparisons, OR and NOT as the features evaluated in JavaScript do', async () => {
    const cameras = all.cameras;
    const p = (f: Feature) => f.properties as Record<string, any>;
    const cases: [string, string, (f: Feature) => boolean][] = [
      ['cameras', "name LIKE 'Cumhuriyet%'", (f) => p(f).name.startsWith('Cumhuriyet')],
      ['cameras', "name NOT LIKE '%Caddesi%'", (f) => !p(f).name.includes('Caddesi')],
      ['cameras', "code LIKE 'KAM-00_1'", (f) => /^KAM-00.1$/.test(p(f).code)],
      ['cameras', "status IN ('ACTIVE', 'OFFLINE') AND kind <> 'PTZ'", (f) => ['ACTIVE', 'OFFLINE'].includes(p(f).status) && p(f).kind !== 'PTZ'],
      ['cameras', 'rangeMeters BETWEEN 30 AND 40 OR azimuth > 300', (f) => (p(f).rangeMeters >= 30 && p(f).rangeMeters <= 40) || p(f).azimuth > 300],
      ['cameras', 'mountHeightMeters NOT BETWEEN 4 AND 6', (f) => p(f).mountHeightMeters !== null && (p(f).mountHeightMeters < 4 || p(f).mountHeightMeters > 6)],
      ['cameras', "installedOn >= DATE('2021-01-01') AND installedOn IS NOT NULL", (f) => p(f).installedOn !== null && p(f).installedOn >= '2021-01-01'],
      ['cameras', 'isPublic = true OR NOT (recorderChannel <= 8)', (f) => p(f).isPublic === true || (p(f).recorderChannel !== null && p(f).recorderChannel > 8)],
      ['cameras', 'id IN (1, 2, 3, 99999)', (f) => [1, 2, 3].includes(f.id)],
      ['parcels', 'areaSquareMeters > 5000 AND ada >= 110', (f) => p(f).areaSquareMeters > 5000 && p(f).ada >= 110],
      ['parcels', 'areaDifferenceRatio < -0.01', (f) => p(f).areaDifferenceRatio !== null && p(f).areaDifferenceRatio < -0.01],
      ['faults', "reportedAt < TIMESTAMP('2026-01-01T00:00:00Z') AND priority IN ('URGENT', 'HIGH')", (f) => Date.parse(p(f).reportedAt) < Date.parse('2026-01-01T00:00:00Z') && ['URGENT', 'HIGH'].includes(p(f).priority)],
      ['faults', 'resolveHours > 24 OR assigneeId IS NULL', (f) => (p(f).resolveHours !== null && p(f).resolveHours > 24) || p(f).assigneeId === null],
      ['assets', "ipAddress LIKE '10.10.%'", (f) => (p(f).ipAddress ?? '').startsWith('10.10.')],
      ['network-lines', 'lengthMeters > 500 AND capacityMbps >= 1000', (f) => p(f).lengthMeters > 500 && p(f).capacityMbps !== null && p(f).capacityMbps >= 1000],
    ];
    for (const [c, filter, test] of cases) {
      const expected = all[c].filter(test).length;
      expect({ c, filter, n: await matched(c, `filter=${q(filter)}`) }).toEqual({ c, filter, n: expected });
    }
    expect(cameras.filter((f) => p(f).name.startsWith('Cumhuriyet')).length).toBeGreaterThan(0);
  });

  it('compares text exactly, and with CASEI/ACCENTI the Turkish way, as GraphQL\'s mahalle filter does', async () => {
    const mahalle = all.parcels[0].properties.mahalle as string;
    const typed = mahalle.toLowerCase().replace(/ı/g, 'i').replace(/ç/g, 'c').replace(/ş/g, 's').replace(/ğ/g, 'g').replace(/ö/g, 'o').replace(/ü/g, 'u');
    const exact = all.parcels.filter((f) => f.properties.mahalle === mahalle).length;
    expect(await matched('parcels', `mahalle=${q(mahalle)}`)).toBe(exact);
    expect(await matched('parcels', `mahalle=${q(typed)}`)).toBe(typed === mahalle ? exact : 0);
    const folded = await matched('parcels', `filter=${q(`CASEI(ACCENTI(mahalle)) = CASEI(ACCENTI('${typed}'))`)}`);
    expect(folded).toBe(await gqlCount('parcels', `filter: { mahalle: ${JSON.stringify(typed)} }`));
    expect(folded).toBe(exact);
    // İSTASYON, Istasyon, ıstasyon and istasyon are one word to CASEI.
    const istasyon = all.parcels.filter((f) => (f.properties.mahalle as string).includes('İSTASYON')).length;
    expect(istasyon).toBeGreaterThan(0);
    for (const spelling of ['istasyon', 'Istasyon', 'ıstasyon', 'İSTASYON']) {
      expect(await matched('parcels', `filter=${q(`CASEI(mahalle) LIKE CASEI('%${spelling}%')`)}`)).toBe(istasyon);
    }
    expect(await matched('parcels', `filter=${q("mahalle LIKE '%istasyon%'")}`)).toBe(0);
    // ACCENTI drops the marks: Ş, Ö, Ü … and the dot of İ; ı stays a letter.
    const withMarks = all.parcels.filter((f) => /[ÇĞÖŞÜ]/.test(f.properties.mahalle as string));
    expect(withMarks.length).toBeGreaterThan(0);
    const plain = (withMarks[0].properties.mahalle as string).replace(/Ç/g, 'C').replace(/Ğ/g, 'G').replace(/Ö/g, 'O').replace(/Ş/g, 'S').replace(/Ü/g, 'U').replace(/İ/g, 'I');
    expect(await matched('parcels', `filter=${q(`ACCENTI(mahalle) = '${plain}'`)}`)).toBe(all.parcels.filter((f) => f.properties.mahalle === withMarks[0].properties.mahalle).length);
    expect(FOLDING_TABLES.UPPER.length).toBe(FOLDING_TABLES.LOWER.length);
    expect(FOLDING_TABLES.ACCENTED.length).toBe(FOLDING_TABLES.PLAIN.length);
  });
});

describe('spatial filters', () => {
  const point = [37.79, 37.012];
  const polygon = [[37.775, 37.0], [37.8, 37.0], [37.8, 37.02], [37.775, 37.0]];
  const wkt = `POLYGON((${polygon.map((c) => c.join(' ')).join(', ')}))`;

  it('S_INTERSECTS, S_DWITHIN and BBOX match the GraphQL spatial filter of every layer', async () => {
    for (const c of COLLECTIONS) {
      const list = GRAPHQL_LIST[c];
      const geometry = `{ type: "Polygon", coordinates: ${JSON.stringify([polygon])} }`;
      const counts = {
        intersects: await matched(c, `filter=${q(`S_INTERSECTS(geometry, ${wkt})`)}`),
        within: await matched(c, `filter=${q(`S_DWITHIN(geometry, POINT(${point.join(' ')}), 400)`)}`),
        bbox: await matched(c, `filter=${q('S_INTERSECTS(geometry, BBOX(37.78, 37.0, 37.79, 37.01))')}`),
      };
      expect({ c, ...counts }).toEqual({
        c,
        intersects: await gqlCount(list, `spatial: { intersects: { geometry: ${geometry} } }, first: 1`),
        within: await gqlCount(list, `spatial: { withinDistance: { geometry: { type: "Point", coordinates: ${JSON.stringify(point)} }, meters: 400 } }, first: 1`),
        bbox: await gqlCount(list, 'spatial: { bbox: { minx: 37.78, miny: 37.0, maxx: 37.79, maxy: 37.01 } }, first: 1'),
      });
      expect(counts.intersects + counts.within).toBeGreaterThan(0);
    }
  });

  it('takes geometries in filter-crs, in its axis order (EPSG:4326 lat/lon, TUREF TM northing/easting), and in CQL2 JSON', async () => {
    const base = await matched('cameras', `filter=${q(`S_INTERSECTS(geometry, ${wkt})`)}`);
    const latLon = `POLYGON((${polygon.map(([x, y]) => `${y} ${x}`).join(', ')}))`;
    expect(await matched('cameras', `filter-crs=${q('http://www.opengis.net/def/crs/EPSG/0/4326')}&filter=${q(`S_INTERSECTS(geometry, ${latLon})`)}`)).toBe(base);
    const { rows } = await app.knex.raw('SELECT ST_X(p) AS e, ST_Y(p) AS n FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 5257) AS p) s', point);
    const [{ e, n }] = rows;
    const near = await matched('cameras', `filter=${q(`S_DWITHIN(geometry, POINT(${point.join(' ')}), 250)`)}`);
    expect(await matched('cameras', `filter-crs=EPSG:5257&filter=${q(`S_DWITHIN(geometry, POINT(${n} ${e}), 250)`)}`)).toBe(near);
    const json = { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [polygon] }] };
    expect(await matched('cameras', `filter-lang=cql2-json&filter=${q(JSON.stringify(json))}`)).toBe(base);
    // S_WITHIN / S_CONTAINS / S_DISJOINT: the layer's geometry on either side.
    const disjoint = await matched('cameras', `filter=${q(`S_DISJOINT(geometry, ${wkt})`)}`);
    expect(disjoint + base).toBe(all.cameras.length);
    expect(await matched('cameras', `filter=${q(`S_WITHIN(geometry, ${wkt})`)}`)).toBe(base);
    expect(await matched('cameras', `filter=${q(`S_CONTAINS(${wkt}, geometry)`)}`)).toBe(base);
    expect(await matched('neighbourhoods', `filter=${q(`S_CONTAINS(geometry, POINT(${point.join(' ')}))`)}`)).toBe(1);
  });
});

describe('grants and sensitive fields', () => {
  it('an area-limited reader filters within its area only, as its GraphQL lists do', async () => {
    let fewer = 0;
    for (const c of COLLECTIONS) {
      const mine = await fetchAll(c, token.west);
      expect(mine.length).toBeLessThanOrEqual(all[c].length);
      if (mine.length < all[c].length) fewer++;
      const filter = c === 'parcels' ? 'ada > 105' : c === 'faults' ? "state <> 'CLOSED'" : 'id > 10';
      const test = (f: Feature) => (c === 'parcels' ? (f.properties.ada as number) > 105 : c === 'faults' ? f.properties.state !== 'CLOSED' : f.id > 10);
      const n = await matched(c, `filter=${q(filter)}`, token.west);
      expect({ c, n }).toEqual({ c, n: mine.filter(test).length });
      const around = await matched(c, `filter=${q('S_DWITHIN(geometry, POINT(37.79 37.012), 600)')}`, token.west);
      const list = GRAPHQL_LIST[c];
      expect({ c, around }).toEqual({
        c,
        around: await gqlCount(list, 'spatial: { withinDistance: { geometry: { type: "Point", coordinates: [37.79, 37.012] }, meters: 600 } }, first: 1', token.west),
      });
    }
    expect(fewer).toBeGreaterThanOrEqual(6);
  });

  it('a sensitive field the reader may not read cannot filter or sort; where a grant reveals it only in an area, a filter sees it only there', async () => {
    for (const query of [`filter=${q('streamUrl IS NULL')}`, `filter=${q("streamUrl LIKE 'rtsp%'")}`, 'streamUrl=x', 'sortby=streamUrl']) {
      const res = await items('cameras', query, token.noStream);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'BAD_USER_INPUT' });
      expect(res.body.description).toMatch(/streamUrl/);
    }
    const seen = await fetchAll('cameras', token.westStream);
    const revealed = seen.filter((f) => f.properties.streamUrl !== null).length;
    expect(revealed).toBeGreaterThan(0);
    expect(revealed).toBeLessThan(all.cameras.filter((f) => f.properties.streamUrl !== null).length);
    expect(await matched('cameras', `filter=${q("streamUrl LIKE 'rtsp://%'")}`, token.westStream)).toBe(revealed);
    expect(await matched('cameras', `filter=${q('streamUrl IS NULL')}`, token.westStream)).toBe(seen.length - revealed);
    const sorted = await fetchAll('cameras', token.westStream, 'sortby=streamUrl');
    expect(sorted.slice(revealed).every((f) => f.properties.streamUrl === null)).toBe(true);
    // A reference to rows the reader may not read is not queryable either.
    const res = await items('assets', `filter=${q('remoteUnitId IS NOT NULL')}`, token.assetsOnly);
    expect(res.status).toBe(400);
  });
});

describe('datetime', () => {
  const p = (f: Feature) => f.properties as Record<string, any>;

  it('filters faults by reportedAt, assets by purchasedOn and the others by updatedAt, as instants, days and (half-)open intervals', async () => {
    const reported = all.faults.map((f) => Date.parse(p(f).reportedAt)).sort((a, b) => a - b);
    const mid = new Date(reported[Math.floor(reported.length / 2)]).toISOString();
    const day = mid.slice(0, 10);
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const cases: [string, string, (f: Feature) => boolean][] = [
      ['faults', `${day}T00:00:00Z/..`, (f) => Date.parse(p(f).reportedAt) >= dayStart],
      ['faults', `../${day}`, (f) => Date.parse(p(f).reportedAt) < dayStart + 86_400_000],
      ['faults', day, (f) => Date.parse(p(f).reportedAt) >= dayStart && Date.parse(p(f).reportedAt) < dayStart + 86_400_000],
      ['faults', `2025-01-01T00:00:00+03:00/${day}T12:00:00Z`, (f) => Date.parse(p(f).reportedAt) >= Date.parse('2024-12-31T21:00:00Z') && Date.parse(p(f).reportedAt) <= Date.parse(`${day}T12:00:00Z`)],
      ['faults', mid, (f) => Date.parse(p(f).reportedAt) === Date.parse(mid)],
      ['assets', '2018-01-01/2020-12-31', (f) => p(f).purchasedOn !== null && p(f).purchasedOn >= '2018-01-01' && p(f).purchasedOn <= '2020-12-31'],
      ['assets', '2019-06-15T23:30:00Z/..', (f) => p(f).purchasedOn !== null && p(f).purchasedOn >= '2019-06-15'],
      ['assets', '/2017-03-01', (f) => p(f).purchasedOn !== null && p(f).purchasedOn <= '2017-03-01'],
      ['cameras', '2000-01-01T00:00:00Z/..', (f) => Date.parse(p(f).updatedAt) >= Date.parse('2000-01-01T00:00:00Z')],
      ['cameras', '../2000-01-01T00:00:00Z', () => false],
    ];
    for (const [c, datetime, test] of cases) {
      const expected = all[c].filter(test).length;
      expect({ c, datetime, n: await matched(c, `datetime=${q(datetime)}`) }).toEqual({ c, datetime, n: expected });
    }
    expect(all.faults.filter(cases[2][2]).length).toBeGreaterThan(0);
    // The GraphQL faults filter takes the same half-open interval.
    const from = `${day}T00:00:00Z`;
    const to = new Date(dayStart + 7 * 86_400_000).toISOString();
    expect(await matched('faults', `filter=${q(`reportedAt >= TIMESTAMP('${from}') AND reportedAt < TIMESTAMP('${to.replace('.000', '')}')`)}`)).toBe(
      await gqlCount('faults', `filter: { reportedAfter: "${from}", reportedBefore: "${to}" }, first: 1`),
    );
  });
});

describe('sortby and paging', () => {
  async function walk(collection: string, query: string, limit: number, as?: string): Promise<{ features: Feature[]; pages: number; matched: number }> {
    const features: Feature[] = [];
    let href: string | undefined = `/ogc/collections/${collection}/items?limit=${limit}&${query}`;
    let pages = 0;
    let numberMatched = -1;
    while (href) {
      const res = await ogcGet(app, href, as);
      expect(res.status).toBe(200);
      numberMatched = res.body.numberMatched;
      features.push(...res.body.features);
      href = linkOf(res.body, 'next');
      pages++;
    }
    return { features, pages, matched: numberMatched };
  }
  const ordered = (values: unknown[], descending: boolean) => {
    // Nulls last ascending, first descending; otherwise numbers and ISO dates compare as they are.
    for (let i = 1; i < values.length; i++) {
      const [a, b] = [values[i - 1], values[i]];
      if (a === null || b === null) {
        if (descending ? a !== null && b === null : a === null && b !== null) return false;
        continue;
      }
      if (descending ? (a as number) < (b as number) : (a as number) > (b as number)) return false;
    }
    return true;
  };

  it('walks every page of several orders without a duplicate or a gap, in order, ties by id', async () => {
    const cases: [string, string, number, (f: Feature) => boolean, string, boolean][] = [
      ['parcels', 'sortby=-areaSquareMeters', 499, () => true, 'areaSquareMeters', true],
      ['parcels', `sortby=${q('mahalle,-ada,+parsel')}`, 700, () => true, 'mahalle', false],
      ['cameras', 'sortby=installedOn', 7, () => true, 'installedOn', false],
      ['cameras', 'sortby=-installedOn,name', 11, () => true, 'installedOn', true],
      ['cameras', 'sortby=-id', 13, () => true, 'id', true],
      ['faults', `sortby=-reportedAt&filter=${q("state <> 'CANCELLED'")}`, 25, (f) => f.properties.state !== 'CANCELLED', 'reportedAt', true],
      ['assets', 'sortby=purchasedOn,-warrantyEndsOn', 40, () => true, 'purchasedOn', false],
      ['network-lines', 'sortby=-capacityMbps', 9, () => true, 'capacityMbps', true],
      ['cameras', 'sortby=status&status=ACTIVE', 5, (f) => f.properties.status === 'ACTIVE', 'status', false],
    ];
    for (const [c, query, limit, test, key, descending] of cases) {
      const { features, pages, matched: n } = await walk(c, query, limit);
      const expected = all[c].filter(test).map((f) => f.id).sort((a, b) => a - b);
      const ids = features.map((f) => f.id);
      expect({ c, query, duplicates: ids.length - new Set(ids).size }).toEqual({ c, query, duplicates: 0 });
      expect({ c, query, ids: [...ids].sort((a, b) => a - b) }).toEqual({ c, query, ids: expected });
      expect(n).toBe(expected.length);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      const values = features.map((f) => (key === 'id' ? f.id : f.properties[key]));
      const comparable = values.map((v) => (typeof v === 'string' && /^\d{4}-/.test(v) ? Date.parse(v) : v));
      if (key === 'status' || key === 'mahalle') {
        // Text orders by the database's collation: each value in one run, and within a run the next keys in order.
        const runs = values.filter((v, i) => i === 0 || v !== values[i - 1]);
        expect({ c, query, contiguous: new Set(runs).size === runs.length }).toEqual({ c, query, contiguous: true });
        if (key === 'mahalle') {
          for (let i = 1; i < features.length; i++) {
            const [a, b] = [features[i - 1].properties as any, features[i].properties as any];
            if (a.mahalle === b.mahalle) expect(a.ada > b.ada || (a.ada === b.ada && a.parsel < b.parsel) || (a.ada === b.ada && a.parsel === b.parsel && features[i - 1].id < features[i].id)).toBe(true);
          }
        }
      } else {
        expect({ c, query, ordered: ordered(comparable, descending) }).toEqual({ c, query, ordered: true });
      }
      // Equal keys: by id.
      for (let i = 1; i < features.length; i++) {
        if (key !== 'status' && key !== 'mahalle' && values[i] === values[i - 1] && query.split('sortby=')[1].split('&')[0].split(/,|%2C/).length === 1) {
          expect(features[i].id).toBeGreaterThan(features[i - 1].id);
        }
      }
    }
  });

  it('keeps the plain order by id with keyset cursors, and refuses a cursor of another order', async () => {
    const { features } = await walk('cameras', 'sortby=%2Bid', 50);
    expect(features.map((f) => f.id)).toEqual(all.cameras.map((f) => f.id));
    const sorted = await items('cameras', 'limit=5&sortby=-name');
    const next = new URL(linkOf(sorted.body, 'next')!).searchParams.get('cursor')!;
    for (const query of [`sortby=name&cursor=${next}`, `cursor=${next}`]) {
      const res = await items('cameras', query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'BAD_USER_INPUT' });
    }
    const plain = await items('cameras', 'limit=5');
    const idCursor = new URL(linkOf(plain.body, 'next')!).searchParams.get('cursor')!;
    expect((await items('cameras', `sortby=-name&cursor=${idCursor}`)).status).toBe(400);
  });
});

describe('properties', () => {
  it('returns only the properties asked for (none for an empty list), with the id and the geometry', async () => {
    const res = await items('parcels', 'limit=3&properties=mahalle,ada,areaSquareMeters');
    expect(res.status).toBe(200);
    for (const f of res.body.features) {
      expect(Object.keys(f.properties)).toEqual(['mahalle', 'ada', 'areaSquareMeters']);
      const full = all.parcels.find((x) => x.id === f.id)!;
      expect(f.properties).toEqual({ mahalle: full.properties.mahalle, ada: full.properties.ada, areaSquareMeters: full.properties.areaSquareMeters });
      expect(f.geometry).toEqual(full.geometry);
    }
    const none = await items('cameras', 'limit=2&properties=');
    expect(none.body.features[0].properties).toEqual({});
    const hidden = await items('cameras', 'limit=200&properties=name,streamUrl', token.westStream);
    expect(hidden.body.features.some((f: Feature) => f.properties.streamUrl === null)).toBe(true);
  });
});

describe('bad requests', () => {
  it('answers every malformed, unknown or unsupported filtering parameter with 400 and the reason', async () => {
    const cases: [string, string, RegExp][] = [
      ['cameras', `filter=${q('name = ')}`, /not CQL2 text: at character 8/],
      ['cameras', `filter=${q("name = 'x' AND")}`, /not CQL2 text/],
      ['cameras', `filter=${q("name = 'x' garbage")}`, /not CQL2 text/],
      ['cameras', `filter=${q("nme = 'x'")}`, /"nme" is not a queryable of cameras/],
      ['cameras', `filter=${q('name = 5')}`, /cannot compare property "name" \(a string\) with 5 \(a number\)/],
      ['cameras', `filter=${q("azimuth > 'north'")}`, /cannot compare/],
      ['cameras', `filter=${q("installedOn > TIMESTAMP('2020-01-01T00:00:00Z')")}`, /cannot compare property "installedOn" \(a date\)/],
      ['cameras', `filter=${q('isPublic > false')}`, /booleans compare only with = and <>/],
      ['cameras', `filter=${q("azimuth LIKE '1%'")}`, /LIKE compares strings/],
      ['cameras', `filter=${q('azimuth IN ()')}`, /not CQL2 text/],
      ['cameras', `filter=${q("installedOn = DATE('2021-02-30')")}`, /February 2021 has 28 days/],
      ['cameras', `filter=${q("updatedAt > TIMESTAMP('2021-02-10T25:00:00Z')")}`, /TIMESTAMP/],
      ['cameras', `filter=${q("T_AFTER(updatedAt, TIMESTAMP('2021-01-01T00:00:00Z'))")}`, /temporal function T_AFTER is not supported/],
      ['cameras', `filter=${q('A_CONTAINS(name, (1, 2))')}`, /array function A_CONTAINS is not supported/],
      ['cameras', `filter=${q('azimuth + 1 > 3')}`, /arithmetic/],
      ['cameras', `filter=${q('UPPER(name) = 1')}`, /UPPER/],
      ['cameras', `filter=${q('geometry = 1')}`, /"geometry" is a geometry/],
      ['cameras', `filter=${q('S_INTERSECTS(name, POINT(37 37))')}`, /name is not a geometry/],
      ['cameras', `filter=${q('S_INTERSECTS(geometry, POLYGON((37 37, 38 38, 37 38, 38 37, 37 37)))')}`, /invalid geometry/i],
      ['cameras', `filter=${q('S_INTERSECTS(geometry, POINT(200 37))')}`, /longitude 200 is out of range/],
      ['cameras', `filter=${q('S_INTERSECTS(geometry, BBOX(38, 37, 37, 38))')}`, /lower corner/],
      ['cameras', `filter=${q('S_DWITHIN(geometry, POINT(37.79 37.01), -5)')}`, /the distance must be a number of metres, zero or more/],
      ['cameras', `filter=${q('S_DWITHIN(geometry, POINT(37.79 37.01), 5, feet)')}`, /unit "feet" is not supported/],
      ['cameras', `filter=${q('S_INTERSECTS(POINT(1 1), POINT(1 1))')}`, /needs the property "geometry" on one side/],
      ['cameras', 'filter=', /filter: empty/],
      ['cameras', `filter=${q(`${'('.repeat(3000)}id = 1${')'.repeat(3000)}`)}`, /nested too deeply/],
      ['cameras', `filter=${q(`${'('.repeat(2000)}id`)}`, /nested too deeply|not CQL2 text/],
      ['cameras', `filter=${q('x'.repeat(8001))}`, /at most 8000/],
      ['cameras', 'filter-lang=cql2-json&filter=%7Bnope', /not JSON/],
      ['cameras', `filter-lang=cql2-json&filter=${q('{"op":"=","args":[{"property":"name"}]}')}`, /= takes 2 arguments, got 1/],
      ['cameras', `filter-lang=cql2-json&filter=${q('{"op":"and","args":[{"property":"isPublic"}, true]}')}`, /alone is not a condition/],
      ['cameras', `filter-lang=cql2-json&filter=${q('"name"')}`, /is not a condition/],
      ['cameras', 'filter-lang=cql-text&filter=x', /filter-lang: "cql-text" is not offered; use cql2-text or cql2-json/],
      ['cameras', 'filter-crs=EPSG:2320&filter=x', /filter-crs: "EPSG:2320" is not offered/],
      ['cameras', 'filter-lang=cql2-text', /filter-lang is given without filter/],
      ['cameras', 'datetime=yesterday', /datetime: "yesterday" is neither an RFC 3339 date-time/],
      ['cameras', 'datetime=2026-02-30', /February 2026 has 28 days/],
      ['cameras', 'datetime=2026-01-05T09:00:00', /neither an RFC 3339 date-time with an offset/],
      ['cameras', `datetime=${q('2026-02-01/2026-01-01')}`, /ends before it starts/],
      ['cameras', `datetime=${q('../..')}`, /open on both sides|open/],
      ['cameras', `datetime=${q('2026-01-01/2026-02-01/2026-03-01')}`, /more than one "\/"/],
      ['cameras', 'sortby=nosuch', /sortby: "nosuch" is not a sortable property of cameras/],
      ['cameras', 'sortby=geometry', /"geometry" is not a sortable property/],
      ['cameras', 'sortby=name,-name', /"name" is given twice/],
      ['cameras', 'sortby=name,,id', /empty entry/],
      ['cameras', 'properties=name,nosuch', /properties: "nosuch" is not a property of cameras/],
      ['cameras', 'azimuth=north', /azimuth: "north" is not a whole number/],
      ['cameras', 'isPublic=yes', /isPublic: "yes" is not true or false/],
      ['cameras', 'installedOn=2021-13-01', /installedOn: .*no month 13/],
      ['cameras', 'nosuch=1', /unknown parameter "nosuch": not a queryable of cameras/],
      ['cameras', 'geometry=1', /unknown parameter "geometry"/],
      ['cameras', 'name=a&name=b', /may be given only once/],
      ['cameras', 'cursor=', /cursor: empty/],
    ];
    for (const [c, query, reason] of cases) {
      const res = await items(c, query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'BAD_USER_INPUT' });
      expect({ query, description: res.body.description }).toEqual({ query, description: expect.stringMatching(reason) });
    }
    // Metadata resources take no filtering parameter.
    for (const path of ['/ogc/collections/cameras/queryables?filter=x', '/ogc/collections/cameras/items/1?datetime=2026-01-01', '/ogc/collections?datetime=2026-01-01']) {
      const res = await ogcGet(app, path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect(app.logged).toEqual([]);
  });

  it('parses in time linear in the nesting (no backtracking blow-up on parentheses)', async () => {
    const started = Date.now();
    const nested = `${'('.repeat(60)}id = 1${')'.repeat(60)} AND ${'('.repeat(60)}name LIKE 'x%'${')'.repeat(60)}`;
    expect(await matched('cameras', `filter=${q(nested)}`)).toBe(all.cameras.filter((f) => f.id === 1 && (f.properties.name as string).startsWith('x')).length);
    const unbalanced = await items('cameras', `filter=${q(`${'('.repeat(60)}id = 1${')'.repeat(59)}`)}`);
    expect(unbalanced.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(10000);
  });
});

describe('SQL statements', () => {
  it('a filtered, sorted or time-limited page costs the same statements as a plain one; a geometry literal one more', async () => {
    const count = async (query: string) => {
      const { statements, result } = await app.countStatements(() => items('parcels', `limit=20&${query}`));
      expect(result.status).toBe(200);
      return statements;
    };
    await count(`filter=${q('ada > 1')}`); // the column types are read once per server
    const plain = await count('');
    expect(plain).toBe(2 + app.accessCheckStatements);
    for (const query of [
      `filter=${q("mahalle = 'SAKARYA' AND ada > 100 OR parsel IN (1, 2, 3) AND NOT (nitelik IS NULL)")}`,
      `filter=${q("CASEI(ACCENTI(mahalle)) LIKE '%istasyon%'")}`,
      'sortby=-areaSquareMeters,mahalle',
      'datetime=2020-01-01T00:00:00Z/..',
      'mahalle=SAKARYA&ada=101&properties=ada',
    ]) {
      expect({ query, statements: await count(query) }).toEqual({ query, statements: plain });
    }
    const oneLiteral = await count(`filter=${q('S_INTERSECTS(geometry, POLYGON((37.77 37.0, 37.8 37.0, 37.8 37.02, 37.77 37.0)))')}`);
    expect(oneLiteral).toBe(plain + 1);
    const twoLiterals = await count(`filter=${q('S_INTERSECTS(geometry, POINT(37.78 37.01)) OR S_DWITHIN(geometry, POINT(37.79 37.01), 100)')}`);
    expect(twoLiterals).toBe(plain + 2);
  });
});

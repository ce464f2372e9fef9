import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, FieldResolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { GeoJSONScalar, type GeoJsonGeometry } from '../../geo/geojson.scalar';
import { GEOGRAPHIC_DIGITS, PROJECTED_DIGITS } from '../../geo/layer.repository';
import { CameraRepository, type CoverageRow } from './camera.repository';
import { Camera } from './camera.type';

const BUILDINGS = 'Buildings and terrain are not taken into account (there is no building layer): a field of view is the sector the camera could see on open ground.';

@ObjectType({ description: `A camera whose field of view holds a point. ${BUILDINGS}` })
export class CameraSighting {
  @Field(() => Camera)
  camera!: Camera;

  @Field(() => Float, { description: 'Distance from the camera to the point, in metres on the ellipsoid.' })
  distanceMeters!: number;

  @Field(() => Float, { nullable: true, description: 'Bearing of the point from the camera, degrees clockwise from north (the geodesic azimuth); null at the camera itself.' })
  bearingDegrees!: number | null;
}

@ObjectType({ description: `How much of an area the fields of view of the cameras you may read cover. ${BUILDINGS}` })
export class CameraCoverage {
  @Field(() => Float, { description: 'The area, in m² on the ellipsoid.' })
  areaSquareMeters!: number;

  @Field(() => Float, { description: 'The part covered by at least one field of view, in m² on the ellipsoid.' })
  coveredSquareMeters!: number;

  @Field(() => Float, { description: 'coveredSquareMeters / areaSquareMeters (0 for an area of no extent).' })
  fraction!: number;

  @Field(() => GeoJSONScalar, { description: 'The covered part (a Polygon or MultiPolygon, empty when nothing is covered).' })
  covered!: unknown;

  @Field(() => GeoJSONScalar, { description: 'The part no camera covers.' })
  uncovered!: unknown;

  cameraIds!: number[];
}

const toCoverage = (r: CoverageRow): CameraCoverage => ({
  ...r,
  fraction: r.areaSquareMeters > 0 ? r.coveredSquareMeters / r.areaSquareMeters : 0,
});

const digitsFor = (srid: number) => (srid === 4326 ? GEOGRAPHIC_DIGITS : PROJECTED_DIGITS);

function requireCameras(ctx: Context): void {
  ctx.access.require(Resource.CAMERAS, Action.READ, 'cameras');
}

/** Key of the neighbourhood coverage loader. */
export interface CoverageKey { neighbourhoodId: number; includeInactive: boolean; srid: number }

/** Coverage of each neighbourhood: one statement per (includeInactive, srid) asked for. */
export function neighbourhoodCoverageLoader(db: Knex, access: Access): DataLoader<CoverageKey, CameraCoverage, string> {
  const repo = new CameraRepository(db, access);
  return new DataLoader<CoverageKey, CameraCoverage, string>(
    async (keys) => {
      const found = new Map<string, CameraCoverage | Error>();
      const groups = new Map<string, CoverageKey[]>();
      for (const k of keys) groups.set(`${k.includeInactive}:${k.srid}`, [...(groups.get(`${k.includeInactive}:${k.srid}`) ?? []), k]);
      for (const group of groups.values()) {
        const { includeInactive, srid } = group[0];
        const ids = [...new Set(group.map((k) => k.neighbourhoodId))];
        const areas = db.raw('SELECT id AS key, geom AS g FROM neighbourhoods WHERE id = ANY(?::int[])', [ids]);
        try {
          const got = await repo.coverage(areas, includeInactive, srid, digitsFor(srid));
          for (const row of got) found.set(`${row.key}:${includeInactive}:${srid}`, toCoverage(row));
        } catch (e) {
          // One group's failure (an output srid PostGIS cannot transform to) is its keys' alone.
          for (const k of group) found.set(`${k.neighbourhoodId}:${includeInactive}:${srid}`, e as Error);
        }
      }
      return keys.map((k) => found.get(`${k.neighbourhoodId}:${k.includeInactive}:${k.srid}`) ?? new Error(`no coverage for neighbourhood ${k.neighbourhoodId}`));
    },
    { cacheKeyFn: (k) => `${k.neighbourhoodId}:${k.includeInactive}:${k.srid}` },
  );
}

/**
 * The loader's answer once the output srid is known to be valid. The load is queued first so that
 * the neighbourhoods of a page still share one statement; the srid is checked beside it (a cached
 * lookup), and its error wins.
 */
async function loadChecked(ctx: Context, key: CoverageKey): Promise<CameraCoverage> {
  const pending = ctx.loaders.cameras.coverage.load(key);
  pending.catch(() => undefined);
  await ctx.geo.srid(ctx.db, key.srid, 'srid');
  return pending;
}

export const cameraCoverageService = {
  async seeing(ctx: Context, args: { x?: number | null; y?: number | null; point?: GeoJsonGeometry | null; srid: number; includeInactive: boolean }): Promise<CameraSighting[]> {
    requireCameras(ctx);
    const byXy = args.x != null || args.y != null;
    if (byXy === (args.point != null) || (byXy && (args.x == null || args.y == null))) throw badInput('give either x and y, or point');
    const geojson: GeoJsonGeometry = byXy ? { type: 'Point', coordinates: [args.x!, args.y!] } : args.point!;
    const g = await ctx.geo.geometry(ctx.db, geojson, args.srid, { argument: 'point', types: ['POINT'] });
    const rows = await new CameraRepository(ctx.db, ctx.access).seeing(g.ewkb, args.includeInactive);
    return rows.map(({ distanceMeters, bearingDegrees, ...camera }) => ({ camera: camera as Camera, distanceMeters, bearingDegrees }));
  },

  async coverage(ctx: Context, args: { neighbourhoodId?: string | null; area?: GeoJsonGeometry | null; srid: number; includeInactive: boolean }): Promise<CameraCoverage> {
    requireCameras(ctx);
    if ((args.neighbourhoodId == null) === (args.area == null)) throw badInput('give either neighbourhoodId or area');
    if (args.neighbourhoodId != null) {
      const id = parseId(args.neighbourhoodId, 'neighbourhoodId');
      if (!(await ctx.loaders.neighbourhoods.byId.load(id))) throw notFound('neighbourhood', args.neighbourhoodId);
      return loadChecked(ctx, { neighbourhoodId: id, includeInactive: args.includeInactive, srid: args.srid });
    }
    const g = await ctx.geo.geometry(ctx.db, args.area!, args.srid, { argument: 'area', types: ['POLYGON', 'MULTIPOLYGON'] });
    const areas = ctx.db.raw('SELECT 0 AS key, ?::geometry AS g', [g.ewkb]);
    const [row] = await new CameraRepository(ctx.db, ctx.access).coverage(areas, args.includeInactive, args.srid, digitsFor(args.srid));
    return toCoverage(row);
  },

  /** `Neighbourhood.cameraCoverage`: batched for every neighbourhood of a page. */
  async ofNeighbourhood(ctx: Context, neighbourhoodId: number, args: { srid: number; includeInactive: boolean }): Promise<CameraCoverage> {
    requireCameras(ctx);
    return loadChecked(ctx, { neighbourhoodId, includeInactive: args.includeInactive, srid: args.srid });
  },
};

const INCLUDE_INACTIVE = 'Count cameras whatever their status; by default only ACTIVE ones.';

@Resolver(() => CameraCoverage)
export class CameraCoverageResolver {
  @Query(() => [CameraSighting], { description: `The cameras you may read that see a point (give x and y, or point), nearest first. ${BUILDINGS}` })
  camerasSeeing(
    @Arg('x', () => Float, { nullable: true, description: 'Easting or longitude.' }) x: number | null,
    @Arg('y', () => Float, { nullable: true, description: 'Northing or latitude.' }) y: number | null,
    @Arg('point', () => GeoJSONScalar, { nullable: true, description: 'The point as a GeoJSON Point.' }) point: GeoJsonGeometry | null,
    @Arg('srid', () => Int, { defaultValue: 4326, description: 'EPSG code of the point.' }) srid: number,
    @Arg('includeInactive', () => Boolean, { defaultValue: false, description: INCLUDE_INACTIVE }) includeInactive: boolean,
    @Ctx() ctx: Context,
  ) {
    return cameraCoverageService.seeing(ctx, { x, y, point, srid, includeInactive });
  }

  @Query(() => CameraCoverage, { description: `Camera coverage of a neighbourhood or of a polygon (give one). ${BUILDINGS}` })
  cameraCoverage(
    @Arg('neighbourhoodId', () => ID, { nullable: true }) neighbourhoodId: string | null,
    @Arg('area', () => GeoJSONScalar, { nullable: true, description: 'A Polygon or MultiPolygon.' }) area: GeoJsonGeometry | null,
    @Arg('srid', () => Int, { defaultValue: 4326, description: 'EPSG code of the area, and of the covered and uncovered geometries returned.' }) srid: number,
    @Arg('includeInactive', () => Boolean, { defaultValue: false, description: INCLUDE_INACTIVE }) includeInactive: boolean,
    @Ctx() ctx: Context,
  ) {
    return cameraCoverageService.coverage(ctx, { neighbourhoodId, area, srid, includeInactive });
  }

  @FieldResolver(() => [Camera], { description: 'The cameras whose field of view overlaps the area.' })
  async cameras(@Root() coverage: CameraCoverage, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.cameras.byId.loadMany(coverage.cameraIds);
    return rows.filter((r): r is Camera => r != null && !(r instanceof Error));
  }
}

import type { GraphQLResolveInfo } from 'graphql';
import { Action, Resource } from '../../common/auth/resources';
import { badInput } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Connection } from '../../common/pagination/connection';
import type { Context } from '../../context';
import { LayerEditor, type FeatureInput } from '../../geo/layer-edit.service';
import { geometryField, getFeature, listLayer, type LayerListArgs } from '../../geo/layer.service';
import { resolveSpatialFilter } from '../../geo/spatial-filter';
import type { SpatialFilter } from '../../geo/spatial.inputs';
import { transitionAsset } from './asset-states';
import { AssetRepository, type AssetQueryFilter } from './asset.repository';
import { AssetType, type Asset, type AssetFilter, type AssetGrouping, type AssetState } from './asset.type';
import { geometryObject } from '../../geo/geojson-text';

/** Resolves `Asset.geometry(srid)`. */
export const assetGeometry = geometryField((ctx) => ctx.loaders.assets);

const MAX_TEXT = 200;

/** The filter as the repository takes it; always one, so that disposed assets stay out by default. */
function toQuery(f: AssetFilter | null | undefined): AssetQueryFilter {
  if (!f) return {};
  if (f.search != null && f.search.length > MAX_TEXT) throw badInput(`filter.search may be at most ${MAX_TEXT} characters`);
  return {
    ...f,
    ownerOrgUnit: f.ownerOrgUnitId != null ? parseId(f.ownerOrgUnitId, 'filter.ownerOrgUnitId') : undefined,
    remoteUnit: f.remoteUnitId != null ? parseId(f.remoteUnitId, 'filter.remoteUnitId') : undefined,
  };
}

/**
 * Asset edits: the layer editor's rules, and a position taken from the remote unit or camera the
 * asset is at when no geometry is given. The state is not an input: it changes through
 * changeAssetState, faults and disposals.
 */
class AssetEditor extends LayerEditor<Asset, AssetQueryFilter> {
  override async create(ctx: Context, input: FeatureInput): Promise<Asset | null> {
    return super.create(ctx, await placed(ctx, input));
  }

  override async update(ctx: Context, id: string, version: number, input: FeatureInput): Promise<Asset | null> {
    return super.update(ctx, id, version, await placed(ctx, input));
  }
}

async function placed(ctx: Context, input: FeatureInput): Promise<FeatureInput> {
  if (input.cameraId != null && input.type != null && input.type !== AssetType.CAMERA) {
    throw badInput(`input.cameraId: only an asset of type CAMERA can be a camera, not ${String(input.type)}`);
  }
  if (input.geometry) return input;
  if (input.cameraId != null) {
    const camera = await ctx.loaders.cameras.byId.load(parseId(input.cameraId as string, 'input.cameraId'));
    if (!camera) throw badInput(`input.cameraId: camera ${String(input.cameraId)} does not exist`);
    return { ...input, geometry: geometryObject<NonNullable<FeatureInput['geometry']>>(camera.geometry), srid: 4326 };
  }
  if (input.remoteUnitId != null) {
    const unit = await ctx.loaders.remoteUnits.byId.load(parseId(input.remoteUnitId as string, 'input.remoteUnitId'));
    if (!unit) throw badInput(`input.remoteUnitId: remote unit ${String(input.remoteUnitId)} does not exist`);
    return { ...input, geometry: geometryObject<NonNullable<FeatureInput['geometry']>>(unit.geometry), srid: 4326 };
  }
  return input;
}

export const assetEditor = new AssetEditor('asset', 'assets', (ctx) => new AssetRepository(ctx.db, ctx.access));

export const assetService = {
  list(ctx: Context, args: LayerListArgs<AssetFilter>, info?: GraphQLResolveInfo): Promise<Connection<Asset>> {
    return listLayer(ctx, new AssetRepository(ctx.db, ctx.access), { ...args, filter: toQuery(args.filter) }, info);
  },

  get(ctx: Context, id: string, asOf?: Date | null): Promise<Asset> {
    return getFeature(ctx.loaders.assets, id, 'asset', { ctx, repo: new AssetRepository(ctx.db, ctx.access), asOf });
  },

  /** The asset with this inventory or serial number; null when there is none (or none readable). */
  async byNumber(ctx: Context, number: string): Promise<Asset | null> {
    ctx.access.require(Resource.ASSETS, Action.READ, 'assets');
    if (!number.trim()) throw badInput('number must not be empty');
    const found = await new AssetRepository(ctx.db, ctx.access).byNumber(number.trim());
    if (found.length > 1) throw badInput(`"${number}" is the inventory number of one asset and the serial number of another: use assets(filter: { inventoryNo | serialNo })`);
    return found[0] ?? null;
  },

  async counts(ctx: Context, by: AssetGrouping, filter: AssetFilter | null | undefined, spatial: SpatialFilter | null | undefined) {
    ctx.access.require(Resource.ASSETS, Action.READ, 'assets');
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, spatial);
    return new AssetRepository(ctx.db, ctx.access).counts(by, { filter: toQuery(filter), predicates });
  },

  /** A direct change of state (IN_STOCK, IN_USE, LOST); the workflows own the others. */
  async changeState(ctx: Context, idArg: string, version: number, state: AssetState): Promise<Asset | null> {
    ctx.access.require(Resource.ASSETS, Action.UPDATE, 'assets');
    const id = parseId(idArg, 'id');
    return ctx.db.transaction(async (trx) => {
      await transitionAsset(trx, ctx, id, state, 'MANUAL', version);
      // Read in the transaction: a committed change always gets its answer.
      const [row] = await new AssetRepository(trx, ctx.access).byIds([id]);
      return row ?? null;
    });
  },
};

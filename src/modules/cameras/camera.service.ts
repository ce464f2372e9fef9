import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { badInput } from '../../common/errors/app-error';
import type { Connection } from '../../common/pagination/connection';
import { geometryField, getFeature, listLayer, loadInSrid, type LayerListArgs } from '../../geo/layer.service';
import type { LayerRow } from '../../geo/layer.repository';
import { CameraRepository } from './camera.repository';
import type { Camera, CameraFilter } from './camera.type';

export const MAX_SEARCH_LENGTH = 200;

/** Resolves `Camera.geometry(srid)`. */
export const cameraGeometry = geometryField((ctx) => ctx.loaders.cameras);

function checkFilter(filter: CameraFilter | null | undefined): void {
  if (filter?.search != null && filter.search.length > MAX_SEARCH_LENGTH) {
    throw badInput(`filter.search may be at most ${MAX_SEARCH_LENGTH} characters`);
  }
}

export const cameraService = {
  list(ctx: Context, args: LayerListArgs<CameraFilter>, info?: GraphQLResolveInfo): Promise<Connection<Camera>> {
    checkFilter(args.filter);
    return listLayer(ctx, new CameraRepository(ctx.db, ctx.access), args, info);
  },

  get(ctx: Context, id: string, asOf?: Date | null): Promise<Camera> {
    return getFeature(ctx.loaders.cameras, id, 'camera', { ctx, repo: new CameraRepository(ctx.db, ctx.access), asOf });
  },

  fieldOfView(ctx: Context, camera: LayerRow, srid: number): Promise<unknown> {
    return loadInSrid(ctx, ctx.loaders.cameras.fieldOfView, camera.id, srid);
  },
};

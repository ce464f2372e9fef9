import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root, type ClassType } from 'type-graphql';
import { selectedFields } from '../../geo/selection';
import type { Context } from '../../context';
import type { LayerRow } from '../../geo/layer.repository';
import { Asset } from '../assets';
import { Camera } from '../cameras';
import { Fault } from '../faults';
import { NetworkLine, NetworkNode } from '../network';
import { Parcel } from '../parcels';
import { RemoteUnit } from '../remote-units';
import { Neighbourhood } from './neighbourhood.type';

/**
 * `neighbourhood` on a layer's type: the neighbourhood the feature is in, batched per layer (one
 * statement for a page, whatever its size).
 */
function neighbourhoodOf(layerType: ClassType, layerTable: string): ClassType {
  @Resolver(() => layerType)
  class NeighbourhoodOfResolver {
    @FieldResolver(() => Neighbourhood, {
      nullable: true,
      description: 'The neighbourhood (mahalle) this is in: the one containing a point of it; null outside every neighbourhood.',
    })
    neighbourhood(@Root() row: LayerRow, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
      return ctx.loaders.neighbourhoods.containing(layerTable, selectedFields(info)).load(row.id);
    }
  }
  Object.defineProperty(NeighbourhoodOfResolver, 'name', { value: `${layerType.name}NeighbourhoodResolver` });
  return NeighbourhoodOfResolver;
}

export const neighbourhoodOfResolvers = [
  neighbourhoodOf(Camera, 'cameras'),
  neighbourhoodOf(NetworkNode, 'network_nodes'),
  neighbourhoodOf(NetworkLine, 'network_lines'),
  neighbourhoodOf(RemoteUnit, 'remote_units'),
  neighbourhoodOf(Parcel, 'parcels'),
  neighbourhoodOf(Asset, 'assets'),
  neighbourhoodOf(Fault, 'faults'),
];

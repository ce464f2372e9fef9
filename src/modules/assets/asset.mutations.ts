import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { assetEditor, assetService } from './asset.service';
import { Asset, AssetState, AssetType } from './asset.type';
import { DateScalar } from '../../common/input/date.scalar';
import { ipAddressProblem, macAddressProblem } from '../../common/input/network-address';

export const AssetInputs = layerInputs('Asset', {
  inventoryNo: { type: () => String, required: true, description: 'Inventory (demirbaş) number, unique.' },
  serialNo: { type: () => String, required: true, description: 'Serial number, unique.' },
  type: { type: () => AssetType, required: true },
  make: { type: () => String },
  model: { type: () => String },
  site: { type: () => String, description: 'Building, floor, room or pole, in words.' },
  remoteUnitId: { type: () => ID, description: 'The remote unit the asset is at; without a geometry the asset takes its position.' },
  cameraId: { type: () => ID, description: 'The camera this asset is (type CAMERA); without a geometry the asset takes its position.' },
  purchasedOn: { type: () => DateScalar },
  vendorId: { type: () => ID },
  warrantyEndsOn: { type: () => DateScalar },
  ipAddress: { type: () => String, form: ipAddressProblem, description: 'IPv4 or IPv6 address, optionally with a /prefix.' },
  macAddress: { type: () => String, form: macAddressProblem, description: 'MAC address, e.g. 08:00:2b:01:02:03.' },
  notes: { type: () => String },
}, { geometryOnCreate: 'Optional with cameraId or remoteUnitId: the asset then takes their position.' });

/** createAsset, updateAsset, deleteAsset: a new asset starts IN_STOCK. */
export const AssetMutationResolver = layerMutations(Asset, 'Asset', AssetInputs, assetEditor);

@Resolver()
export class AssetStateResolver {
  @Mutation(() => Asset, {
    nullable: true,
    description:
      'Moves an asset between IN_STOCK, IN_USE and LOST (and back from LOST). BAD_USER_INPUT names the allowed states when a change is refused; FAULTY, IN_REPAIR and AT_VENDOR follow its fault, PENDING_DISPOSAL and DISPOSED its disposal. CONFLICT on a stale version.',
  })
  changeAssetState(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('state', () => AssetState) state: AssetState,
    @Ctx() ctx: Context,
  ) {
    return assetService.changeState(ctx, id, version, state);
  }
}

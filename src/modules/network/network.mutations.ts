import { ID, Int } from 'type-graphql';
import { LayerEditor } from '../../geo/layer-edit.service';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { NetworkLineRepository, NetworkNodeRepository } from './network.repository';
import { NetworkLine, NetworkMedium, NetworkNode, NetworkNodeKind, NetworkStatus } from './network.type';

export const NetworkNodeInputs = layerInputs('NetworkNode', {
  code: { type: () => String, required: true, description: 'Unique, e.g. DUG-03.' },
  name: { type: () => String, required: true },
  kind: { type: () => NetworkNodeKind, required: true },
  status: { type: () => NetworkStatus, description: 'ACTIVE when omitted on create.' },
  assetId: { type: () => ID, description: 'The asset this element is (the switch in the cabinet, the splice box, the leased circuit), by id or inventory number in imports: an open fault on it puts the element out of service now. NOT_FOUND unless you may read it.' },
});

export const NetworkLineInputs = layerInputs('NetworkLine', {
  code: { type: () => String, required: true, description: 'Unique, e.g. HAT-012.' },
  name: { type: () => String, required: true },
  medium: { type: () => NetworkMedium, required: true },
  provider: { type: () => String },
  circuitId: { type: () => String },
  capacityMbps: { type: () => Int },
  status: { type: () => NetworkStatus, description: 'ACTIVE when omitted on create.' },
  aNodeId: { type: () => ID, description: 'A end at a node; give this or aRemoteUnitId.' },
  aRemoteUnitId: { type: () => ID, description: 'A end at a remote unit.' },
  zNodeId: { type: () => ID, description: 'Z end at a node; give this or zRemoteUnitId.' },
  zRemoteUnitId: { type: () => ID, description: 'Z end at a remote unit.' },
  assetId: { type: () => ID, description: 'The asset this element is (the switch in the cabinet, the splice box, the leased circuit), by id or inventory number in imports: an open fault on it puts the element out of service now. NOT_FOUND unless you may read it.' },
});

export const networkNodeEditor = new LayerEditor('network node', 'network nodes', (ctx) => new NetworkNodeRepository(ctx.db, ctx.access));
export const networkLineEditor = new LayerEditor('network line', 'network lines', (ctx) => new NetworkLineRepository(ctx.db, ctx.access));

export const NetworkNodeMutationResolver = layerMutations(NetworkNode, 'NetworkNode', NetworkNodeInputs, networkNodeEditor);
export const NetworkLineMutationResolver = layerMutations(NetworkLine, 'NetworkLine', NetworkLineInputs, networkLineEditor);

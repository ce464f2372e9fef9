import { ID, Int } from 'type-graphql';
import { LayerEditor } from '../../geo/layer-edit.service';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { RemoteUnitRepository } from './remote-unit.repository';
import { RemoteUnit, RemoteUnitStatus } from './remote-unit.type';

export const RemoteUnitInputs = layerInputs('RemoteUnit', {
  code: { type: () => String, required: true, description: 'Unique, e.g. UB-07.' },
  name: { type: () => String, required: true },
  status: { type: () => RemoteUnitStatus, description: 'ACTIVE when omitted on create.' },
  orgUnitId: { type: () => ID, required: true, description: 'The directorate or unit working at the site.' },
  addressMahalle: { type: () => String },
  addressStreet: { type: () => String },
  addressDoorNo: { type: () => String },
  isp: { type: () => String, description: 'Internet service provider.' },
  internetLine: { type: () => String, description: 'Kind of line: FIBER, XDSL, LTE, ...' },
  bandwidthMbps: { type: () => Int },
});

export const remoteUnitEditor = new LayerEditor('remote unit', 'remote units', (ctx) => new RemoteUnitRepository(ctx.db, ctx.access));

export const RemoteUnitMutationResolver = layerMutations(RemoteUnit, 'RemoteUnit', RemoteUnitInputs, remoteUnitEditor);

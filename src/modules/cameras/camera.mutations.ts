import { Float, ID, Int } from 'type-graphql';
import { LayerEditor } from '../../geo/layer-edit.service';
import { layerInputs, layerMutations } from '../../geo/layer.mutations';
import { CameraRepository } from './camera.repository';
import { Camera, CameraKind, CameraPurpose, CameraStatus } from './camera.type';
import { DateScalar } from '../../common/input/date.scalar';

export const CameraInputs = layerInputs('Camera', {
  code: { type: () => String, required: true, description: 'Asset tag, unique, e.g. KAM-0042.' },
  name: { type: () => String, required: true },
  kind: { type: () => CameraKind, required: true },
  purpose: { type: () => CameraPurpose, required: true },
  status: { type: () => CameraStatus, description: 'ACTIVE when omitted on create.' },
  azimuth: { type: () => Int, required: true, description: 'Degrees clockwise from north (0-359).', range: { min: 0, max: 359 } },
  horizontalFov: { type: () => Float, required: true, description: 'Degrees, (0, 360].', range: { min: 0, max: 360, minExclusive: true } },
  rangeMeters: { type: () => Float, required: true, range: { min: 0, max: 100000, minExclusive: true } },
  mountHeightMeters: { type: () => Float, range: { min: 0, max: 1000 } },
  recorder: { type: () => String },
  recorderChannel: { type: () => Int },
  streamUrl: { type: () => String, description: 'Sensitive: only with a grant that reveals streamUrl.' },
  installedOn: { type: () => DateScalar },
  servedByNodeId: { type: () => ID, description: 'The network node (a cabinet, a radio switch) the camera is connected through; give this or servedByRemoteUnitId, or neither.' },
  servedByRemoteUnitId: { type: () => ID, description: 'The remote unit the camera is connected through.' },
});

export const cameraEditor = new LayerEditor('camera', 'cameras', (ctx) => new CameraRepository(ctx.db, ctx.access));

export const CameraMutationResolver = layerMutations(Camera, 'Camera', CameraInputs, cameraEditor);

import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';
import { DateScalar } from '../../common/input/date.scalar';

export enum CameraKind {
  FIXED = 'FIXED',
  PTZ = 'PTZ',
  DOME = 'DOME',
  BULLET = 'BULLET',
}
export enum CameraPurpose {
  SECURITY = 'SECURITY',
  LIVE_BROADCAST = 'LIVE_BROADCAST',
  TRAFFIC = 'TRAFFIC',
}
export enum CameraStatus {
  PLANNED = 'PLANNED',
  ACTIVE = 'ACTIVE',
  OFFLINE = 'OFFLINE',
  DECOMMISSIONED = 'DECOMMISSIONED',
}
registerEnumType(CameraKind, { name: 'CameraKind', description: 'Camera body and mount.' });
registerEnumType(CameraPurpose, { name: 'CameraPurpose', description: 'What the camera is for.' });
registerEnumType(CameraStatus, { name: 'CameraStatus', description: 'Operating state of the camera.' });

@ObjectType({ implements: LayerFeature, description: 'A security, traffic or live-broadcast camera (point layer).', simpleResolvers: true })
export class Camera extends LayerFeature {
  @Field(() => String, { description: 'Asset tag on the camera, e.g. KAM-0042.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => CameraKind)
  kind!: CameraKind;

  @Field(() => CameraPurpose)
  purpose!: CameraPurpose;

  @Field(() => CameraStatus)
  status!: CameraStatus;

  @Field(() => Int, { description: 'Viewing direction in degrees clockwise from north (0-359).' })
  azimuth!: number;

  @Field(() => Float, { description: 'Horizontal field of view in degrees; 360 for PTZ and dome cameras.' })
  horizontalFov!: number;

  @Field(() => Float, { description: 'Useful viewing range in metres.' })
  rangeMeters!: number;

  @Field(() => Float, { nullable: true, description: 'Mount height above ground in metres.' })
  mountHeightMeters!: number | null;

  @Field(() => String, { nullable: true, description: 'Network video recorder (NVR) the camera records to.' })
  recorder!: string | null;

  @Field(() => Int, { nullable: true, description: 'Channel on the recorder.' })
  recorderChannel!: number | null;

  @Field(() => String, { nullable: true, description: 'Live stream address.' })
  streamUrl!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Installation date.' })
  installedOn!: string | null;


  /** What serves the camera (see `servedBy`): a network node or a remote unit. */
  servedByNodeId!: number | null;
  servedByRemoteUnitId!: number | null;
}

export const { EdgeType: CameraEdge, ConnectionType: CameraConnection } = connectionTypes(Camera, 'Camera', { history: true });

@InputType({ description: 'Attribute conditions on cameras; all that are given must hold.' })
export class CameraFilter {
  @Field(() => [CameraStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: CameraStatus[] | null;

  @Field(() => [CameraKind], { nullable: true, description: 'Any of these kinds.' })
  kind?: CameraKind[] | null;

  @Field(() => [CameraPurpose], { nullable: true, description: 'Any of these purposes.' })
  purpose?: CameraPurpose[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Part of the name or code, matched ignoring case, Turkish dotted/dotless i and diacritics.',
  })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Recorder name, exactly.' })
  recorder?: string | null;
}

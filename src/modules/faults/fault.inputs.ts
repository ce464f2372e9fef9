import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../common/pagination/connection';
import { GeoJSONScalar, type GeoJsonGeometry } from '../../geo/geojson.scalar';
import { NearestInput, SpatialFilter } from '../../geo/spatial.inputs';
import { FaultCategory, FaultFilter, FaultOrder, FaultPriority, VendorRepairBasis } from './fault.type';
import { DateScalar } from '../../common/input/date.scalar';

@ArgsType()
export class FaultsArgs extends PageArgs {
  @Field(() => FaultFilter, { nullable: true })
  filter?: FaultFilter | null;

  @Field(() => SpatialFilter, { nullable: true })
  spatial?: SpatialFilter | null;

  @Field(() => NearestInput, { nullable: true, description: 'Order by distance from a point instead (orderBy must then be ID).' })
  nearest?: NearestInput | null;

  @Field(() => FaultOrder, { defaultValue: FaultOrder.ID })
  orderBy!: FaultOrder;
}

@InputType({ description: 'A fault report: on an asset (assetId), or on a place (geometry) when the asset is unknown.' })
export class ReportFaultInput {
  @Field(() => ID, { nullable: true, description: 'The faulty asset; it becomes FAULTY. NOT_FOUND unless you may read it.' })
  assetId?: string | null;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'Where the fault is (a Point in `srid`), when no asset is given.' })
  geometry?: GeoJsonGeometry | null;

  @Field(() => Int, { defaultValue: 4326, description: 'EPSG code of the coordinates of `geometry`.' })
  srid!: number;

  @Field(() => FaultCategory)
  category!: FaultCategory;

  @Field(() => FaultPriority, { defaultValue: FaultPriority.NORMAL })
  priority!: FaultPriority;

  @Field(() => String, { description: 'What is wrong, in words.' })
  description!: string;
}

@InputType({ description: 'The asset is sent out to a vendor.' })
export class VendorRepairInput {
  @Field(() => ID)
  vendorId!: string;

  @Field(() => VendorRepairBasis, { description: 'WARRANTY needs the asset under warranty on sentOn; MAINTENANCE_CONTRACT a vendor contract in force then.' })
  basis!: VendorRepairBasis;

  @Field(() => DateScalar)
  sentOn!: string;

  @Field(() => DateScalar, { nullable: true })
  expectedBackOn?: string | null;

  @Field(() => String, { nullable: true, description: 'RMA number, what was sent with it, ...' })
  notes?: string | null;
}

import { ArgsType, Field, ID, InterfaceType, Int, type ClassType } from 'type-graphql';
import { PageArgs } from '../common/pagination/connection';
import { NearestInput, SpatialFilter } from './spatial.inputs';

/** What every map layer's feature type has: a stable id, a version for edits, timestamps. */
@InterfaceType('LayerFeature', { description: 'A feature of a map layer: every layer type implements it.' })
export abstract class LayerFeature {
  @Field(() => ID, { description: 'Stable identifier; also the feature id in tiles and exports.' })
  id!: number;

  @Field(() => Int, { description: 'Row version, for optimistic locking of edits.' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Boolean, { description: 'Shown to anonymous requests (the e-Belediye subset), where the public role may read the layer.' })
  isPublic!: boolean;

  /** The directorate or unit responsible for the feature (ownerOrgUnit resolves it). */
  ownerOrgUnitId!: number | null;

  /**
   * The geometry in EPSG:4326, as PostGIS's GeoJSON text (the GeoJSON scalar passes it on as it is;
   * geometryObject() parses it); the `geometry(srid)` field resolves other SRIDs.
   */
  geometry!: string | null;
}

/** The `asOf` argument of layer lists and lookups by id. */
export const AS_OF_DESCRIPTION =
  'Read the rows as they were at this instant (RFC 3339): each row in its version valid then, attributes and geometry, and the spatial ' +
  'filters applied to that geometry; rows deleted since are there, rows created since are not. Grants are today\'s. An instant in ' +
  'the future is BAD_USER_INPUT; before the layer kept its history (`asOfKnownFrom` on the list), the answer is what is known.';

/** The arguments of a layer list: paging, the layer's attribute filter, the spatial filter, nearest. */
export function layerListArgs<F extends object>(filterType: ClassType<F>, name: string) {
  @ArgsType()
  class LayerListArgsType extends PageArgs {
    @Field(() => filterType, { nullable: true })
    filter?: F | null;

    @Field(() => SpatialFilter, { nullable: true })
    spatial?: SpatialFilter | null;

    @Field(() => NearestInput, { nullable: true })
    nearest?: NearestInput | null;

    @Field(() => Date, { nullable: true, description: AS_OF_DESCRIPTION })
    asOf?: Date | null;
  }
  Object.defineProperty(LayerListArgsType, 'name', { value: `${name}ListArgs` });
  return LayerListArgsType;
}

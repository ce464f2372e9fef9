import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver, type ClassType } from 'type-graphql';
import type { Context } from '../context';
import { badInput } from '../common/errors/app-error';
import { GeoJSONScalar } from './geojson.scalar';
import type { FeatureInput, LayerEditor } from './layer-edit.service';
import type { LayerRow } from './layer.repository';

/** One writable field of a layer: its GraphQL type, whether a create must give it, what it is. */
export interface InputFieldSpec {
  type: () => unknown;
  required?: boolean;
  description?: string;
  /**
   * Bounds of a number, checked before anything is written, with a message naming the field (the
   * table's CHECK constraint stays the last word; a value past its column's type would otherwise
   * get the database's nameless "out of range").
   */
  range?: { min: number; max: number; minExclusive?: boolean };
  /**
   * The form a text must have for its column's type (an inet or macaddr column, say): why the value
   * does not fit, or undefined. Checked before anything is written, like `range`, so that the
   * client hears which field is wrong rather than the database's nameless "not in the form its type
   * needs".
   */
  form?: (value: string) => string | undefined;
}

/**
 * Why `value` lies outside the field's range ("must be at least 0 and at most 359, got 400"), or
 * undefined when it fits or the field has none. The mutations and the bulk import both check with it.
 */
export function rangeProblem(spec: InputFieldSpec, value: unknown): string | undefined {
  if (spec.form && typeof value === 'string') return spec.form(value);
  if (!spec.range || typeof value !== 'number') return undefined;
  const { min, max, minExclusive } = spec.range;
  if (value > max || value < min || (minExclusive && value === min)) {
    return `must be ${minExclusive ? `more than ${min}` : `at least ${min}`} and at most ${max}, got ${value}`;
  }
  return undefined;
}

/** BAD_USER_INPUT for the first value of `input` outside its field's range or form. */
function checkRanges(fields: Record<string, InputFieldSpec>, input: FeatureInput): void {
  for (const [field, spec] of Object.entries(fields)) {
    const problem = rangeProblem(spec, input[field]);
    if (problem) throw badInput(`input.${field} ${problem}`);
  }
}

/** The fields every layer's inputs have besides its own: the owning directorate and the public flag. */
export const COMMON_INPUT_FIELDS: Record<string, InputFieldSpec> = {
  ownerOrgUnitId: { type: () => ID, description: 'The directorate or unit responsible for the feature.' },
  isPublic: { type: () => Boolean, description: 'Shown to anonymous requests (e-Belediye), where the public role may read the layer.' },
};

/**
 * `<Name>CreateInput` and `<Name>UpdateInput` from one list of fields: on create the required ones
 * are non-null; on update every field is optional (omitted: unchanged, null: cleared).
 */
export function layerInputs(name: string, fields: Record<string, InputFieldSpec>, options: { geometryOnCreate?: string } = {}) {
  const all: Record<string, InputFieldSpec> = { ...fields, ...COMMON_INPUT_FIELDS };
  class CreateInput {}
  class UpdateInput {}
  for (const [cls, suffix] of [[CreateInput, 'Create'], [UpdateInput, 'Update']] as const) {
    const create = suffix === 'Create';
    Field(() => GeoJSONScalar, {
      nullable: !create || options.geometryOnCreate !== undefined,
      description: create
        ? `The geometry, as GeoJSON in \`srid\`.${options.geometryOnCreate ? ` ${options.geometryOnCreate}` : ''}`
        : 'A new geometry, as GeoJSON in `srid`; omitted: unchanged.',
    })(cls.prototype, 'geometry');
    Field(() => Int, { defaultValue: 4326, description: 'EPSG code of the coordinates of `geometry`.' })(cls.prototype, 'srid');
    for (const [field, spec] of Object.entries(all)) {
      Field(spec.type as () => ClassType, { nullable: !(create && spec.required), description: spec.description })(cls.prototype, field);
    }
    Object.defineProperty(cls, 'name', { value: `${name}${suffix}Input` });
    InputType(`${name}${suffix}Input`, {
      description: create ? `A new ${name}.` : `Changes to a ${name}: only the fields given are changed.`,
    })(cls);
  }
  return { CreateInput: CreateInput as ClassType<FeatureInput>, UpdateInput: UpdateInput as ClassType<FeatureInput>, fields };
}

/**
 * create<Name>, update<Name>, delete<Name> for a layer, all through its LayerEditor (permissions,
 * validation, optimistic locking, audit).
 */
export function layerMutations<R extends LayerRow>(
  type: ClassType,
  name: string,
  inputs: ReturnType<typeof layerInputs>,
  editor: LayerEditor<R, any>,
): ClassType {
  @Resolver()
  class LayerMutationResolver {
    @Mutation(() => type, {
      name: `create${name}`,
      nullable: true,
      description: `Creates a ${name}. FORBIDDEN without a CREATE grant, or where the new feature lies outside the granted area or directorate. Returns it as you may read it (null if you may not).`,
    })
    create(@Arg('input', () => inputs.CreateInput) input: FeatureInput, @Ctx() ctx: Context) {
      checkRanges(inputs.fields, input);
      return editor.create(ctx, input);
    }

    @Mutation(() => type, {
      name: `update${name}`,
      nullable: true,
      description: `Changes a ${name}. \`version\` is the version you read: CONFLICT when it has changed since. NOT_FOUND when you may not read it, FORBIDDEN when you may read but not update it, or when the change would move it out of your area or directorate.`,
    })
    update(
      @Arg('id', () => ID) id: string,
      @Arg('version', () => Int) version: number,
      @Arg('input', () => inputs.UpdateInput) input: FeatureInput,
      @Ctx() ctx: Context,
    ) {
      checkRanges(inputs.fields, input);
      return editor.update(ctx, id, version, input);
    }

    @Mutation(() => ID, {
      name: `delete${name}`,
      description: `Deletes a ${name}; returns its id. Same rules as update, with the DELETE grant.`,
    })
    delete(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: Context) {
      return editor.delete(ctx, id, version);
    }
  }
  Object.defineProperty(LayerMutationResolver, 'name', { value: `${name}MutationResolver` });
  return LayerMutationResolver;
}

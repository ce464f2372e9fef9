import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum OrgUnitKind {
  DIRECTORATE = 'DIRECTORATE',
  UNIT = 'UNIT',
}
registerEnumType(OrgUnitKind, { name: 'OrgUnitKind', description: 'A directorate (müdürlük), or a unit inside one.' });

@ObjectType({ description: 'A directorate (müdürlük) of the municipality, or one of its units.', simpleResolvers: true })
export class OrgUnit {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Short code, e.g. BIM.' })
  code!: string;

  @Field(() => String, { description: 'e.g. "Bilgi İşlem Müdürlüğü".' })
  name!: string;

  @Field(() => OrgUnitKind)
  kind!: OrgUnitKind;

  parentId!: number | null;
}

import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';

export enum StockCategory {
  CONSUMABLE = 'CONSUMABLE',
  SPARE_PART = 'SPARE_PART',
}
registerEnumType(StockCategory, { name: 'StockCategory', description: 'Consumable (sarf malzeme: toner, cable, …) or spare part (yedek parça).' });

export enum StockMovementKind {
  IN = 'IN',
  OUT = 'OUT',
  ADJUST = 'ADJUST',
}
registerEnumType(StockMovementKind, {
  name: 'StockMovementKind',
  description: 'IN adds to the level, OUT takes from it (optionally for a fault), ADJUST corrects it after a count (either way).',
});

@ObjectType({ description: 'A consumable or spare part kept in stock, with the level it should not fall under.', simpleResolvers: true })
export class StockItem {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Stock code, unique.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => StockCategory)
  category!: StockCategory;

  @Field(() => String, { description: 'Unit of quantities, e.g. "adet", "kutu", "metre".' })
  unit!: string;

  @Field(() => Int, { description: 'The level the item should not fall under.' })
  minimumLevel!: number;

  @Field(() => Int, { description: 'The current level: the sum of all its movements. Never below zero.' })
  level!: number;

  @Field(() => Boolean, { description: 'level < minimumLevel: time to order more.' })
  belowMinimum!: boolean;

  @Field(() => Int, { description: 'Row version, for optimistic locking of edits (movements do not change it).' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  ownerOrgUnitId!: number | null;
}

@ObjectType({ description: 'One movement of a stock item; movements are never changed or deleted (a mistake is corrected by an ADJUST).', simpleResolvers: true })
export class StockMovement {
  @Field(() => ID)
  id!: number;

  @Field(() => StockMovementKind)
  kind!: StockMovementKind;

  @Field(() => Int, { description: 'The change of the level: positive for IN, negative for OUT, either for ADJUST.' })
  quantity!: number;

  @Field(() => Int, { description: 'The level right after this movement.' })
  levelAfter!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => ID, { nullable: true, description: 'The fault (arıza) the parts went out for.' })
  faultId!: number | null;

  itemId!: number;
  actorId!: number | null;
}

export const { ConnectionType: StockItemConnection } = connectionTypes(StockItem, 'StockItem');
export const { ConnectionType: StockMovementConnection } = connectionTypes(StockMovement, 'StockMovement');

@InputType({ description: 'Conditions on stock items; all that are given must hold.' })
export class StockItemFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: only items under their minimum level; false: only those at or above it.' })
  belowMinimum?: boolean | null;

  @Field(() => StockCategory, { nullable: true })
  category?: StockCategory | null;

  @Field(() => String, { nullable: true, description: 'Part of the code or name, matched the Turkish way.' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Kept by this directorate or unit.' })
  ownerOrgUnitId?: string | null;
}

@InputType({ description: 'A new stock item.' })
export class StockItemCreateInput {
  @Field(() => String, { description: 'Stock code, unique.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => StockCategory)
  category!: StockCategory;

  @Field(() => String, { nullable: true, description: 'Unit of quantities; "adet" when omitted.' })
  unit?: string | null;

  @Field(() => Int, { nullable: true, description: 'At least 0; 0 when omitted.' })
  minimumLevel?: number | null;

  @Field(() => ID, { nullable: true, description: 'The directorate or unit keeping it (grants limited to one\'s own directorate go by it).' })
  ownerOrgUnitId?: string | null;
}

@InputType({ description: 'Changes to a stock item: only the fields given are changed. The level changes only through movements.' })
export class StockItemUpdateInput {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => StockCategory, { nullable: true })
  category?: StockCategory | null;

  @Field(() => String, { nullable: true })
  unit?: string | null;

  @Field(() => Int, { nullable: true })
  minimumLevel?: number | null;

  @Field(() => ID, { nullable: true })
  ownerOrgUnitId?: string | null;
}

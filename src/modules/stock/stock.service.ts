import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { Connection, pageSize, type PageArgs } from '../../common/pagination/connection';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { StockEditRepository, type LockedItem } from './stock-edit.repository';
import { StockRepository, type StockQuery } from './stock.repository';
import {
  StockMovementKind,
  type StockItem,
  type StockItemCreateInput,
  type StockItemFilter,
  type StockItemUpdateInput,
  type StockMovement,
} from './stock.type';

const MAX_TEXT = 200;
const MAX_NOTE = 2000;
const MAX_QUANTITY = 1_000_000;

function text(value: string, argument: string, max = MAX_TEXT): string {
  const t = value.trim();
  if (!t) throw badInput(`${argument} must not be empty`);
  if (t.length > max) throw badInput(`${argument} may be at most ${max} characters`);
  return t;
}

function toQuery(f: StockItemFilter | null | undefined): StockQuery {
  if (!f) return {};
  if (f.search != null && f.search.length > MAX_TEXT) throw badInput(`filter.search may be at most ${MAX_TEXT} characters`);
  return { ...f, ownerOrgUnitId: f.ownerOrgUnitId != null ? parseId(f.ownerOrgUnitId, 'filter.ownerOrgUnitId') : null };
}

/** The columns of a create or update input; only the fields given. */
function columns(input: StockItemCreateInput | StockItemUpdateInput): Record<string, Knex.Value> {
  const values: Record<string, Knex.Value> = {};
  for (const field of ['code', 'name', 'category'] as const) {
    if (input[field] === null) throw badInput(`input.${field} cannot be null`);
  }
  if (input.code != null) values.code = text(input.code, 'input.code', 50);
  if (input.name != null) values.name = text(input.name, 'input.name');
  if (input.category != null) values.category = input.category;
  if (input.unit != null) values.unit = text(input.unit, 'input.unit', 20);
  if (input.minimumLevel != null) {
    if (input.minimumLevel < 0) throw badInput(`input.minimumLevel must be 0 or more, got ${input.minimumLevel}`);
    values.minimum_level = input.minimumLevel;
  }
  if (input.ownerOrgUnitId !== undefined) values.owner_org_unit_id = input.ownerOrgUnitId === null ? null : parseId(input.ownerOrgUnitId, 'input.ownerOrgUnitId');
  return values;
}

/** The signed change of the level a movement makes; BAD_USER_INPUT for a quantity that does not fit its kind. */
function signedQuantity(kind: StockMovementKind, quantity: number): number {
  if (!Number.isInteger(quantity) || Math.abs(quantity) > MAX_QUANTITY) throw badInput(`quantity must be a whole number of at most ${MAX_QUANTITY}`);
  if (kind === StockMovementKind.ADJUST) {
    if (quantity === 0) throw badInput('quantity: an ADJUST changes the level by a positive or negative amount, not 0');
    return quantity;
  }
  if (quantity <= 0) throw badInput(`quantity: an ${kind} movement takes a positive quantity (how many), got ${quantity}`);
  return kind === StockMovementKind.OUT ? -quantity : quantity;
}

const isNegativeStock = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === '23514' && (err as { constraint?: string }).constraint === 'stock_level_not_negative';

function notEnough(item: LockedItem, level: number, requested: number): AppError {
  return badInput(
    `not enough stock of ${item.code} (${item.name}): the level is ${level} ${item.unit}, ${requested} ${item.unit} were asked for; the level cannot go below zero`,
    { level, requested },
  );
}

/** The item as the writer now reads it, in the write's transaction: a committed write always gets its answer. */
async function reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<StockItem | null> {
  const [item] = await new StockRepository(trx, ctx.access).byIds([id]);
  return item ?? null;
}

/** Stock items and their movements; every write audited on STOCK in its transaction. */
export const stockService = {
  async list(ctx: Context, args: PageArgs & { filter?: StockItemFilter | null }): Promise<Connection<StockItem>> {
    ctx.access.require(Resource.STOCK, Action.READ, 'stock');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const query = toQuery(args.filter);
    const repo = new StockRepository(ctx.db, ctx.access);
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page(query, first, after);
    const edges = rows.map((node) => ({ node, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(query));
  },

  async get(ctx: Context, idArg: string): Promise<StockItem> {
    ctx.access.require(Resource.STOCK, Action.READ, 'stock');
    const item = await ctx.loaders.stock.byId.load(parseId(idArg, 'id'));
    if (!item) throw notFound('stock item', idArg);
    return item;
  },

  belowMinimum(ctx: Context): Promise<StockItem[]> {
    ctx.access.require(Resource.STOCK, Action.READ, 'stock');
    return new StockRepository(ctx.db, ctx.access).belowMinimum();
  },

  /** A page of an item's movements, newest first (batched over the items of a list). */
  async movements(ctx: Context, item: StockItem, args: PageArgs): Promise<Connection<StockMovement>> {
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const afterId = after?.kind === 'id' ? after.id : null;
    const { rows, hasNextPage } = await ctx.loaders.stock.movements.load({ itemId: item.id, first, afterId });
    const edges = rows.map((node) => ({ node, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => ctx.loaders.stock.movementCount.load(item.id));
  },

  async create(ctx: Context, input: StockItemCreateInput): Promise<StockItem | null> {
    ctx.access.require(Resource.STOCK, Action.CREATE, 'stock items');
    const values = columns(input);
    return ctx.db.transaction(async (trx) => {
      const written = await new StockEditRepository(trx, ctx.access).insertItem(values);
      if (!written.allowed) throw forbidden('you may not create stock items kept by that directorate: your grant is limited to your own');
      await recordAudit(trx, ctx, { entity: Resource.STOCK, entityId: written.id, action: Action.CREATE, before: null, after: written.after });
      return reload(ctx, trx, written.id);
    });
  },

  async update(ctx: Context, idArg: string, version: number, input: StockItemUpdateInput): Promise<StockItem | null> {
    ctx.access.require(Resource.STOCK, Action.UPDATE, 'stock items');
    const id = parseId(idArg, 'id');
    const values = columns(input);
    if (Object.keys(values).length === 0) throw badInput('input changes nothing: give at least one field');
    return ctx.db.transaction(async (trx) => {
      const edit = new StockEditRepository(trx, ctx.access);
      const current = await edit.lockItem(id, Action.UPDATE);
      if (!current) throw notFound('stock item', id);
      if (!current.allowed) throw forbidden(`you may not change stock item ${current.code}: it is kept by a directorate where you may not`);
      if (current.version !== version) {
        throw new AppError('CONFLICT', `stock item ${current.code} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
          currentVersion: current.version,
        });
      }
      const written = await edit.updateItem(id, values);
      if (!written.allowed) throw forbidden(`you may not move stock item ${current.code} out of the directorate where you may update stock`);
      await recordAudit(trx, ctx, { entity: Resource.STOCK, entityId: id, action: Action.UPDATE, before: current.before, after: written.after });
      return reload(ctx, trx, id);
    });
  },

  /**
   * Records a movement: the item locked (so concurrent movements of it queue), its level computed,
   * a movement that would take it below zero refused with the level and the quantity asked. Audited
   * as an UPDATE of the item: its level before and after, and the movement.
   */
  async recordMovement(
    ctx: Context,
    itemIdArg: string,
    kind: StockMovementKind,
    quantity: number,
    faultIdArg: string | null | undefined,
    noteArg: string | null | undefined,
  ): Promise<StockMovement> {
    ctx.access.require(Resource.STOCK, Action.UPDATE, 'stock');
    const itemId = parseId(itemIdArg, 'itemId');
    const delta = signedQuantity(kind, quantity);
    const faultId = faultIdArg == null ? null : parseId(faultIdArg, 'faultId');
    if (faultId !== null && kind !== StockMovementKind.OUT) throw badInput(`faultId: only an OUT movement is tied to a fault, not ${kind}`);
    const note = noteArg?.trim() || null;
    if (note && note.length > MAX_NOTE) throw badInput(`note may be at most ${MAX_NOTE} characters`);
    return ctx.db.transaction(async (trx) => {
      const edit = new StockEditRepository(trx, ctx.access);
      const item = await edit.lockItem(itemId, Action.UPDATE);
      if (!item) throw notFound('stock item', itemId);
      if (!item.allowed) throw forbidden(`you may not record movements of stock item ${item.code}: it is kept by a directorate where you may not`);
      if (faultId !== null && !(await edit.faultVisible(faultId))) throw badInput(`faultId: fault ${faultId} does not exist`);
      const level = await edit.level(itemId);
      if (level + delta < 0) throw notEnough(item, level, -delta);
      let movement: Awaited<ReturnType<StockEditRepository['insertMovement']>>;
      try {
        movement = await edit.insertMovement({ itemId, kind, quantity: delta, faultId, actorId: ctx.identity?.userId ?? null, note });
      } catch (err) {
        // The trigger is the last word for writers that do not lock the item first.
        if (isNegativeStock(err)) throw notEnough(item, level, -delta);
        throw err;
      }
      await recordAudit(trx, ctx, {
        entity: Resource.STOCK,
        entityId: itemId,
        action: Action.UPDATE,
        before: { ...item.before, level },
        after: { ...item.before, level: level + delta, movement: movement.snapshot },
      });
      return { id: movement.id, itemId, kind, quantity: delta, levelAfter: level + delta, at: movement.at, note, faultId, actorId: ctx.identity?.userId ?? null };
    });
  },
};

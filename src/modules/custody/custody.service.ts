import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { AssetState } from '../assets';
import { recordAudit } from '../audit';
import { UserKind } from '../users';
import { CustodyEditRepository, type CustodyWrite, type LockedPerson } from './custody-edit.repository';
import { CustodyRepository } from './custody.repository';
import type { Custody, Handover } from './custody.type';

const MAX_NOTE = 2000;

/** A note as stored: trimmed, null when empty. */
function checkNote(note: string | null | undefined, argument = 'note'): string | null {
  const text = note?.trim() ?? '';
  if (text.length > MAX_NOTE) throw badInput(`${argument} may be at most ${MAX_NOTE} characters`);
  return text || null;
}

/** Assets in these states cannot be given into custody. */
const NOT_GIVEN = new Set<string>([AssetState.DISPOSED, AssetState.LOST]);

const actor = (ctx: Context) => ctx.identity?.userId ?? null;

/** The person, locked, as one who may hold assets: NOT_FOUND, or BAD_USER_INPUT when they may not. */
async function holder(edit: CustodyEditRepository, id: number, argument: string, mode: 'update' | 'share'): Promise<LockedPerson> {
  const person = await edit.lockPerson(id, mode);
  if (!person) throw notFound('user', id);
  if (mode === 'share') {
    if (person.kind !== UserKind.PERSON) throw badInput(`${argument}: ${person.username} is a service account; only a person or a unit can hold assets`);
    if (!person.active) throw badInput(`${argument}: the account of ${person.username} is deactivated; give the assets to an active person`);
  }
  return person;
}

async function auditEnded(trx: Knex.Transaction, ctx: Context, ended: CustodyWrite[], before: Map<number, CustodyWrite>, geoms: Map<number, string>) {
  for (const row of ended) {
    await recordAudit(trx, ctx, {
      entity: Resource.CUSTODY,
      entityId: row.id,
      action: Action.UPDATE,
      before: before.get(row.id)!.snapshot,
      after: row.snapshot,
      geometries: [geoms.get(row.assetId) ?? null],
    });
  }
}

async function auditStarted(trx: Knex.Transaction, ctx: Context, started: CustodyWrite[], geoms: Map<number, string>) {
  for (const row of started) {
    await recordAudit(trx, ctx, {
      entity: Resource.CUSTODY,
      entityId: row.id,
      action: Action.CREATE,
      before: null,
      after: row.snapshot,
      geometries: [geoms.get(row.assetId) ?? null],
    });
  }
}

/** The custody as the writer now reads it, in the write's transaction: a committed write always gets its answer. */
async function reload(ctx: Context, trx: Knex.Transaction, id: number): Promise<Custody | null> {
  const [written] = await new CustodyRepository(trx, ctx.access).byIds([id]);
  return written ?? null;
}

/**
 * Ends the open custody of an asset, if it has one, in the caller's transaction (a disposal's
 * execution): audited like a return. The caller has locked the asset.
 */
export async function endCustodyOfAsset(trx: Knex.Transaction, ctx: Context, assetId: number, returnNote: string, geom: string | null): Promise<void> {
  const edit = new CustodyEditRepository(trx, ctx.access);
  const open = await edit.openOfAsset(assetId);
  if (!open) return;
  const ended = await edit.end([open.id], actor(ctx), returnNote);
  await auditEnded(trx, ctx, ended, new Map([[open.id, open]]), new Map(geom ? [[assetId, geom]] : []));
}

/**
 * Custody (zimmet) and handover (devir-teslim). Every write locks what it changes, checks the
 * request's CUSTODY grant on each asset in SQL, and records an audit row per custody row changed
 * (entity CUSTODY, the custody id) in the same transaction; a handover also records itself
 * (entity CUSTODY, entity id `handover:<id>`, its items in `after`).
 */
export const custodyService = {
  async give(ctx: Context, assetIdArg: string, toUserIdArg: string | null | undefined, toOrgUnitIdArg: string | null | undefined, noteArg: string | null | undefined): Promise<Custody | null> {
    ctx.access.require(Resource.CUSTODY, Action.CREATE, 'custody');
    const assetId = parseId(assetIdArg, 'assetId');
    if ((toUserIdArg == null) === (toOrgUnitIdArg == null)) throw badInput('give exactly one of toUserId and toOrgUnitId');
    const toUserId = toUserIdArg == null ? null : parseId(toUserIdArg, 'toUserId');
    const toOrgUnitId = toOrgUnitIdArg == null ? null : parseId(toOrgUnitIdArg, 'toOrgUnitId');
    const note = checkNote(noteArg);
    return ctx.db.transaction(async (trx) => {
      const edit = new CustodyEditRepository(trx, ctx.access);
      const asset = await edit.lockAsset(assetId, Action.CREATE);
      if (!asset) throw notFound('asset', assetId);
      if (!asset.allowed) throw forbidden(`you may not give asset ${asset.inventoryNo} into custody: it is outside the area or directorate where you may`);
      if (NOT_GIVEN.has(asset.state)) throw new AppError('CONFLICT', `asset ${asset.inventoryNo} is ${asset.state}: it cannot be given into custody`);
      const open = await edit.openOfAsset(assetId);
      if (open) {
        throw new AppError('CONFLICT', `asset ${asset.inventoryNo} is already in custody (custody ${open.id}): return it (returnCustody) or hand it over first`, {
          custodyId: open.id,
        });
      }
      if (toUserId !== null) await holder(edit, toUserId, 'toUserId', 'share');
      else if (!(await edit.orgUnitExists(toOrgUnitId!))) throw badInput(`toOrgUnitId: org unit ${toOrgUnitId} does not exist`);
      const started = await edit.insert([{ assetId, holderUserId: toUserId, holderOrgUnitId: toOrgUnitId, givenBy: actor(ctx), handoverId: null, note }]);
      await auditStarted(trx, ctx, started, new Map([[assetId, asset.geom]]));
      return reload(ctx, trx, started[0].id);
    });
  },

  async returnAsset(ctx: Context, assetIdArg: string, noteArg: string | null | undefined): Promise<Custody | null> {
    ctx.access.require(Resource.CUSTODY, Action.UPDATE, 'custody');
    const assetId = parseId(assetIdArg, 'assetId');
    const note = checkNote(noteArg);
    return ctx.db.transaction(async (trx) => {
      const edit = new CustodyEditRepository(trx, ctx.access);
      const asset = await edit.lockAsset(assetId, Action.UPDATE);
      if (!asset) throw notFound('asset', assetId);
      if (!asset.allowed) throw forbidden(`you may not take asset ${asset.inventoryNo} back from custody: it is outside the area or directorate where you may`);
      const open = await edit.openOfAsset(assetId);
      if (!open) throw new AppError('CONFLICT', `asset ${asset.inventoryNo} is in no one's custody: there is nothing to return`);
      const ended = await edit.end([open.id], actor(ctx), note);
      await auditEnded(trx, ctx, ended, new Map([[open.id, open]]), new Map([[assetId, asset.geom]]));
      return reload(ctx, trx, open.id);
    });
  },

  /**
   * Moves every asset a person holds to another person in one transaction: each custody ended and
   * a new one begun, the handover and its list recorded. All or nothing: when any asset is outside
   * the request's CUSTODY UPDATE scope the whole handover is FORBIDDEN.
   */
  async handOver(ctx: Context, fromArg: string, toArg: string, noteArg: string | null | undefined): Promise<Handover | null> {
    ctx.access.require(Resource.CUSTODY, Action.UPDATE, 'custody');
    const fromUserId = parseId(fromArg, 'fromUserId');
    const toUserId = parseId(toArg, 'toUserId');
    if (fromUserId === toUserId) throw badInput('toUserId: a handover moves custody to another person, not to the same one');
    const note = checkNote(noteArg);
    return ctx.db.transaction(async (trx) => {
      const edit = new CustodyEditRepository(trx, ctx.access);
      // People first, in id order, then assets, then custody rows: the order every custody write keeps.
      const [first, second] = fromUserId < toUserId ? [fromUserId, toUserId] : [toUserId, fromUserId];
      const people = new Map<number, LockedPerson>();
      for (const uid of [first, second]) {
        people.set(uid, uid === fromUserId ? await holder(edit, uid, 'fromUserId', 'update') : await holder(edit, uid, 'toUserId', 'share'));
      }
      const from = people.get(fromUserId)!;
      const assets = await edit.lockAssetsHeldBy(fromUserId, Action.UPDATE);
      if (assets.length === 0) throw badInput(`fromUserId: ${from.username} holds no assets in custody; there is nothing to hand over`);
      const outside = assets.filter((a) => !a.visible || !a.allowed);
      if (outside.length > 0) {
        throw forbidden(
          `${outside.length} of the ${assets.length} assets ${from.username} holds are outside the area or directorate where you may hand custody over; a handover moves all of them`,
        );
      }
      const open = await edit.openOfPerson(fromUserId);
      if (open.length !== assets.length || open.some((c, i) => c.assetId !== assets[i].id)) {
        throw new AppError('CONFLICT', `the custody of ${from.username} changed during the handover; try again`);
      }
      const geoms = new Map(assets.map((a) => [a.id, a.geom]));
      const handover = await edit.insertHandover({ fromUserId, toUserId, doneBy: actor(ctx), note });
      const ended = await edit.end(open.map((c) => c.id), actor(ctx), note);
      await auditEnded(trx, ctx, ended, new Map(open.map((c) => [c.id, c])), geoms);
      const started = await edit.insert(
        open.map((c) => ({ assetId: c.assetId, holderUserId: toUserId, holderOrgUnitId: null, givenBy: actor(ctx), handoverId: handover.id, note })),
      );
      await auditStarted(trx, ctx, started, geoms);
      const startedOf = new Map(started.map((s) => [s.assetId, s.id]));
      const items = open.map((c) => ({ assetId: c.assetId, endedCustodyId: c.id, startedCustodyId: startedOf.get(c.assetId)! }));
      await edit.insertHandoverItems(handover.id, items);
      await recordAudit(trx, ctx, {
        entity: Resource.CUSTODY,
        entityId: `handover:${handover.id}`,
        action: Action.CREATE,
        before: null,
        after: { ...handover.snapshot, items },
        geometries: [...geoms.values()],
      });
      const [written] = await new CustodyRepository(trx, ctx.access).handoversByIds([handover.id]);
      return written ?? null;
    });
  },

  /** What a person or a unit holds (and held, with includeReturned), newest first. */
  async of(ctx: Context, userIdArg: string | null | undefined, orgUnitIdArg: string | null | undefined, includeReturned: boolean): Promise<Custody[]> {
    ctx.access.require(Resource.CUSTODY, Action.READ, 'custody');
    if ((userIdArg == null) === (orgUnitIdArg == null)) throw badInput('give exactly one of userId and orgUnitId');
    const repo = new CustodyRepository(ctx.db, ctx.access);
    if (userIdArg != null) return repo.ofHolders('holder_user_id', [parseId(userIdArg, 'userId')], includeReturned);
    return repo.ofHolders('holder_org_unit_id', [parseId(orgUnitIdArg!, 'orgUnitId')], includeReturned);
  },

  handovers(ctx: Context, userIdArg: string | null | undefined): Promise<Handover[]> {
    ctx.access.require(Resource.CUSTODY, Action.READ, 'handovers');
    return new CustodyRepository(ctx.db, ctx.access).handoversOf(userIdArg == null ? null : parseId(userIdArg, 'userId'));
  },

  async getHandover(ctx: Context, idArg: string): Promise<Handover> {
    ctx.access.require(Resource.CUSTODY, Action.READ, 'handovers');
    const found = await ctx.loaders.custody.handover.load(parseId(idArg, 'id'));
    if (!found) throw notFound('handover', idArg);
    return found;
  },
};

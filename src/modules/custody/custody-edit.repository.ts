import type { Knex } from 'knex';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { USER_TARGET, type UserKind } from '../users';
import { assetTarget } from './asset-scope';

/** A custody row as the audit trail keeps it: every column as stored. */
export type CustodySnapshot = Record<string, unknown>;

/** An asset a custody write is about, locked. */
export interface LockedAsset {
  id: number;
  inventoryNo: string;
  state: string;
  /** The request may read it (ASSETS READ). */
  visible: boolean;
  /** Its grant for the custody write reaches the asset (area, directorate). */
  allowed: boolean;
  /** Hex EWKB of its position, for the audit row. */
  geom: string;
}

export interface LockedPerson {
  id: number;
  username: string;
  kind: UserKind;
  active: boolean;
}

export interface CustodyWrite {
  id: number;
  assetId: number;
  snapshot: CustodySnapshot;
}

export interface NewCustody {
  assetId: number;
  holderUserId: number | null;
  holderOrgUnitId: number | null;
  givenBy: number | null;
  handoverId: number | null;
  note: string | null;
}

const SNAPSHOT = 'to_jsonb(custody) AS snapshot';

/**
 * The SQL of custody writes, on the caller's transaction. Locks are always taken in the same order
 * (the people, then the assets, then their custody rows), as disposals do (the asset, then its
 * custody), so concurrent writers wait for each other instead of deadlocking.
 */
export class CustodyEditRepository {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly access: Access,
  ) {}

  private get db(): Knex {
    return this.trx as unknown as Knex;
  }

  private flag(condition: Knex.Raw | null, name: string): Knex.Raw {
    return condition ? this.trx.raw(`coalesce(?, false) AS ??`, [condition, name]) : this.trx.raw(`true AS ??`, [name]);
  }

  private assetColumns(action: Action): (string | Knex.Raw)[] {
    return [
      'a.id',
      'a.inventory_no as inventoryNo',
      'a.state',
      this.flag(this.access.condition(this.db, Resource.ASSETS, Action.READ, layerTarget('a')), 'visible'),
      this.flag(this.access.condition(this.db, Resource.CUSTODY, action, assetTarget('a')), 'allowed'),
      this.trx.raw(`encode(ST_AsEWKB(a.geom), 'hex') AS geom`),
    ];
  }

  /** The asset, locked until the transaction ends; undefined when there is none or it may not be read. */
  lockAsset(id: number, action: Action): Promise<LockedAsset | undefined> {
    const qb = this.trx('assets as a').select(this.assetColumns(action)).where('a.id', id).forUpdate();
    const read = this.access.condition(this.db, Resource.ASSETS, Action.READ, layerTarget('a'));
    if (read) qb.where(read);
    return qb.first();
  }

  /** Every asset a person holds, locked, by id (readable or not: a handover moves all of them). */
  lockAssetsHeldBy(userId: number, action: Action): Promise<LockedAsset[]> {
    return this.trx('assets as a')
      .select(this.assetColumns(action))
      .whereIn('a.id', this.trx('custody').select('asset_id').where('holder_user_id', userId).whereNull('to_at'))
      .orderBy('a.id')
      .forUpdate();
  }

  /**
   * The person, locked (FOR UPDATE when their custody is about to move, FOR SHARE when they are to
   * receive some, which keeps them from being deactivated meanwhile); undefined when there is none
   * or the request may not read users there.
   */
  async lockPerson(id: number, mode: 'update' | 'share'): Promise<LockedPerson | undefined> {
    const qb = this.trx('users').select('users.id', 'users.username', 'users.kind', 'users.active').where('users.id', id);
    const read = this.access.condition(this.db, Resource.USERS, Action.READ, USER_TARGET);
    if (read) qb.where(read);
    return (mode === 'update' ? qb.forUpdate() : qb.forShare()).first();
  }

  async orgUnitExists(id: number): Promise<boolean> {
    return (await this.trx('org_units').where({ id }).first('id')) !== undefined;
  }

  /** The asset's open custody (the asset is locked, so it stays so), with its snapshot. */
  async openOfAsset(assetId: number): Promise<CustodyWrite | undefined> {
    const row = await this.trx('custody')
      .select('id', 'asset_id as assetId', this.trx.raw(SNAPSHOT))
      .where('asset_id', assetId)
      .whereNull('to_at')
      .forUpdate()
      .first();
    return row;
  }

  /** A person's open custody, locked, by asset. */
  openOfPerson(userId: number): Promise<CustodyWrite[]> {
    return this.trx('custody')
      .select('id', 'asset_id as assetId', this.trx.raw(SNAPSHOT))
      .where('holder_user_id', userId)
      .whereNull('to_at')
      .orderBy('asset_id')
      .forUpdate();
  }

  /** Begins custody, one row per asset, in one statement. */
  async insert(rows: NewCustody[]): Promise<CustodyWrite[]> {
    return this.trx('custody')
      .insert(
        rows.map((r) => ({
          asset_id: r.assetId,
          holder_user_id: r.holderUserId,
          holder_org_unit_id: r.holderOrgUnitId,
          given_by: r.givenBy,
          handover_id: r.handoverId,
          note: r.note,
        })),
      )
      .returning(['id', 'asset_id as assetId', this.trx.raw(SNAPSHOT)]);
  }

  /** Ends custody: now, by whom, with the return note. */
  async end(ids: readonly number[], returnedBy: number | null, returnNote: string | null): Promise<CustodyWrite[]> {
    return this.trx('custody')
      .whereIn('id', [...ids])
      .update({ to_at: this.trx.fn.now(), returned_by: returnedBy, return_note: returnNote })
      .returning(['id', 'asset_id as assetId', this.trx.raw(SNAPSHOT)]);
  }

  async insertHandover(row: { fromUserId: number; toUserId: number; doneBy: number | null; note: string | null }): Promise<{ id: number; snapshot: Record<string, unknown> }> {
    const [written] = await this.trx('handovers')
      .insert({ from_user_id: row.fromUserId, to_user_id: row.toUserId, done_by: row.doneBy, note: row.note })
      .returning(['id', this.trx.raw('to_jsonb(handovers) AS snapshot')]);
    return written;
  }

  async insertHandoverItems(handoverId: number, items: { assetId: number; endedCustodyId: number; startedCustodyId: number }[]): Promise<void> {
    await this.trx('handover_items').insert(
      items.map((i) => ({ handover_id: handoverId, asset_id: i.assetId, ended_custody_id: i.endedCustodyId, started_custody_id: i.startedCustodyId })),
    );
  }
}

import type { Knex } from 'knex';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { assetTarget } from '../custody';
import type { AssetState } from '../assets';
import type { DisposalState } from './disposal.type';

export type DisposalSnapshot = Record<string, unknown>;

/** The asset a proposal is about, locked. */
export interface ProposedAsset {
  id: number;
  inventoryNo: string;
  state: AssetState;
  allowed: boolean;
  geom: string;
}

/** A disposal a decision or execution is about, locked. */
export interface LockedDisposal {
  id: number;
  assetId: number;
  inventoryNo: string;
  state: DisposalState;
  decisionNo: string | null;
  assetStateBefore: AssetState | null;
  version: number;
  /** The request's DISPOSALS grant for the write reaches the asset. */
  allowed: boolean;
  geom: string;
  before: DisposalSnapshot;
}

const SNAPSHOT = 'to_jsonb(disposals) AS snapshot';

/**
 * The SQL of disposal writes, on the caller's transaction. Rows are found within the request's
 * ASSETS READ scope; `allowed` says whether its DISPOSALS grant for the write reaches the asset.
 * A disposal is locked before its asset, as every disposal write does.
 */
export class DisposalEditRepository {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly access: Access,
  ) {}

  private get db(): Knex {
    return this.trx as unknown as Knex;
  }

  private allowed(action: Action): Knex.Raw {
    const scope = this.access.condition(this.db, Resource.DISPOSALS, action, assetTarget('a'));
    return scope ? this.trx.raw('coalesce(?, false) AS allowed', [scope]) : this.trx.raw('true AS allowed');
  }

  private readable(qb: Knex.QueryBuilder): Knex.QueryBuilder {
    const read = this.access.condition(this.db, Resource.ASSETS, Action.READ, layerTarget('a'));
    if (read) qb.where(read);
    return qb;
  }

  lockAsset(id: number): Promise<ProposedAsset | undefined> {
    return this.readable(
      this.trx('assets as a')
        .select('a.id', 'a.inventory_no as inventoryNo', 'a.state', this.allowed(Action.CREATE), this.trx.raw(`encode(ST_AsEWKB(a.geom), 'hex') AS geom`))
        .where('a.id', id)
        .forUpdate(),
    ).first();
  }

  /** The open disposal of an asset (PROPOSED or APPROVED), if any. */
  async openOf(assetId: number): Promise<number | undefined> {
    const row = await this.trx('disposals').where('asset_id', assetId).whereIn('state', ['PROPOSED', 'APPROVED']).first('id');
    return row?.id;
  }

  async lock(id: number, action: Action): Promise<LockedDisposal | undefined> {
    const row = await this.readable(
      this.trx('disposals')
        .join('assets as a', 'a.id', 'disposals.asset_id')
        .select(
          'disposals.id',
          'disposals.asset_id as assetId',
          'a.inventory_no as inventoryNo',
          'disposals.state',
          'disposals.decision_no as decisionNo',
          'disposals.asset_state_before as assetStateBefore',
          'disposals.version',
          this.allowed(action),
          this.trx.raw(`encode(ST_AsEWKB(a.geom), 'hex') AS geom`),
          this.trx.raw(SNAPSHOT),
        )
        .where('disposals.id', id)
        .forUpdate('disposals'),
    ).first();
    if (!row) return undefined;
    const { snapshot, ...rest } = row;
    return { ...rest, before: snapshot };
  }

  async insert(values: Record<string, Knex.Value>): Promise<{ id: number; after: DisposalSnapshot }> {
    const [row] = await this.trx('disposals').insert(values).returning(['id', this.trx.raw(SNAPSHOT)]);
    return { id: row.id, after: row.snapshot };
  }

  /** Sets the values (raw SQL allowed), bumps the version. */
  async update(id: number, values: Record<string, Knex.Value | Knex.Raw>): Promise<DisposalSnapshot> {
    const [row] = await this.trx('disposals')
      .where('id', id)
      .update({ ...values, version: this.trx.raw('version + 1'), updated_at: this.trx.fn.now() })
      .returning([this.trx.raw(SNAPSHOT)]);
    return row.snapshot;
  }
}

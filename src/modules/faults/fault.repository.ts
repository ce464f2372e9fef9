import type { Knex } from 'knex';
import { whereInUnitTree } from '../org-units';
import { layerTarget, type Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { foldedContainsAny } from '../../db/text-search';
import { LayerRepository, layerReferenced, type Filters, type LayerDefinition, type ListQuery, type PagedRow, type Referenced } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { ASSET_TABLE, type AssetType } from '../assets';
// The leaf file, not the module's index: users' resolvers lead back here.
import { USER_TARGET } from '../users/user.repository';
import { FINISHED_STATES } from './fault-states';
import { toElement, type FaultElement } from '../network/network.repository';
import { FaultGrouping, type Fault, type FaultCategory, type FaultEvent, type FaultFigure, type FaultPriority, type FaultState, type VendorRepair } from './fault.type';

export const FAULT_TABLE = 'faults';

/** A faults filter after validation: ids parsed. */
export interface FaultQueryFilter {
  state?: FaultState[] | null;
  open?: boolean | null;
  priority?: FaultPriority[] | null;
  category?: FaultCategory[] | null;
  ownerOrgUnit?: number;
  assignee?: number;
  asset?: number;
  assetType?: AssetType[] | null;
  reportedAfter?: Date | null;
  reportedBefore?: Date | null;
  olderThanDays?: number | null;
  search?: string | null;
}

const FINISHED = `('RESOLVED', 'CLOSED', 'CANCELLED')`;
const RESOLVED = `${FAULT_TABLE}.state IN ('RESOLVED', 'CLOSED')`;

/** Most urgent first, then oldest first: the order of a fault queue (read through the index faults_queue_order, migration 20261204000100). */
const QUEUE_ORDER = `array_position(ARRAY['URGENT', 'HIGH', 'NORMAL', 'LOW'], ${FAULT_TABLE}.priority::text), ${FAULT_TABLE}.reported_at, ${FAULT_TABLE}.id`;

const USERS: Referenced = { resource: Resource.USERS, table: 'users', target: USER_TARGET };

const userName = (column: string) => `(SELECT u.full_name FROM users u WHERE u.id = ${FAULT_TABLE}.${column})`;


export const faultLayer = (db: Knex): LayerDefinition<FaultQueryFilter> => ({
  resource: Resource.FAULTS,
  table: FAULT_TABLE,
  geometryType: 'POINT',
  columns: {
    assetId: 'asset_id',
    reportedById: 'reported_by',
    assigneeId: 'assignee_id',
    category: 'category',
    priority: 'priority',
    description: 'description',
    state: 'state',
    cause: 'cause',
    resolution: 'resolution',
    assetStateBefore: 'asset_state_before',
    reportedAt: 'reported_at',
    assignedAt: 'assigned_at',
    startedAt: 'started_at',
    resolvedAt: 'resolved_at',
    closedAt: 'closed_at',
    cancelledAt: 'cancelled_at',
    reopenCount: 'reopen_count',
  },
  references: {
    assetId: layerReferenced(Resource.ASSETS, ASSET_TABLE, 'inventory_no'),
    reportedById: USERS,
    assigneeId: USERS,
  },
  computed: {
    reporterName: userName('reported_by'),
    assigneeName: userName('assignee_id'),
    ageDays: `extract(epoch FROM coalesce(CASE WHEN ${RESOLVED} THEN ${FAULT_TABLE}.resolved_at WHEN ${FAULT_TABLE}.state = 'CANCELLED' THEN ${FAULT_TABLE}.cancelled_at END, now()) - ${FAULT_TABLE}.reported_at)::float8 / 86400`,
    resolveHours: `CASE WHEN ${RESOLVED} THEN extract(epoch FROM ${FAULT_TABLE}.resolved_at - ${FAULT_TABLE}.reported_at)::float8 / 3600 END`,
  },
  applyFilter(qb, f, col) {
    if (f.state?.length) qb.whereIn(col('state'), f.state);
    if (f.open === true) qb.whereRaw(`?? NOT IN ${FINISHED}`, [col('state')]);
    if (f.open === false) qb.whereRaw(`?? IN ${FINISHED}`, [col('state')]);
    if (f.priority?.length) qb.whereIn(col('priority'), f.priority);
    if (f.category?.length) qb.whereIn(col('category'), f.category);
    if (f.ownerOrgUnit != null) whereInUnitTree(qb, col('owner_org_unit_id'), f.ownerOrgUnit);
    if (f.assignee != null) qb.where(col('assignee_id'), f.assignee);
    if (f.asset != null) qb.where(col('asset_id'), f.asset);
    // The type of the equipment is an attribute of the fault here, whoever may read the asset.
    if (f.assetType?.length) qb.whereRaw('EXISTS (SELECT 1 FROM assets a WHERE a.id = ?? AND a.type = ANY(?::text[]))', [col('asset_id'), f.assetType]);
    if (f.reportedAfter) qb.where(col('reported_at'), '>=', f.reportedAfter);
    if (f.reportedBefore) qb.where(col('reported_at'), '<', f.reportedBefore);
    if (f.olderThanDays != null) qb.whereRaw(`?? < now() - make_interval(days => ?)`, [col('reported_at'), f.olderThanDays]);
    if (f.search) qb.where(foldedContainsAny(db, [col('description')], f.search));
  },
});

/**
 * Faults: the shared layer SQL (read scope, filters, spatial filters, nearest, pages), plus the
 * queue order, figures per group, and the events and vendor repairs of a page of faults, each in
 * one statement and within the same read scope.
 */
export class FaultRepository extends LayerRepository<Fault, FaultQueryFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, faultLayer(db as Knex), access);
  }

  /** One page in queue order (most urgent, then oldest first), by offset, plus whether more follow. */
  async queuePage(q: ListQuery<FaultQueryFilter>): Promise<{ rows: PagedRow<Fault>[]; hasNextPage: boolean }> {
    const offset = q.after?.kind === 'offset' ? q.after.offset : 0;
    const rows = (await this.filtered(q)
      .select(this.selectList(q.fields))
      .orderByRaw(QUEUE_ORDER)
      .offset(offset)
      .limit(q.first + 1)) as PagedRow<Fault>[];
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage };
  }

  /**
   * Every fault of the query in queue order (most urgent, then oldest first), with the network
   * element its asset is and whether it is open: what ordering by impact ranks. Ids only.
   */
  async impactCandidates(q: Filters<FaultQueryFilter>): Promise<{ id: number; element: FaultElement }[]> {
    const rows = await this.filtered(q)
      .leftJoin('network_nodes as element_node', 'element_node.asset_id', this.col('asset_id'))
      .leftJoin('network_lines as element_line', 'element_line.asset_id', this.col('asset_id'))
      .select(
        this.col('id'),
        'element_node.id as node',
        'element_line.id as line',
        this.db.raw(`${FAULT_TABLE}.state NOT IN (${FINISHED_STATES.map(() => '?').join(', ')}) AS open`, [...FINISHED_STATES]),
      )
      .orderByRaw(QUEUE_ORDER);
    return (rows as { id: number; node: number | null; line: number | null; open: boolean }[]).map((r) => ({ id: Number(r.id), element: toElement(r) }));
  }

  /** The faults of each asset (its repair history), newest first. */
  async ofAssets(assetIds: readonly number[]): Promise<Fault[]> {
    return (await this.scoped()
      .select(this.selectList())
      .whereIn(this.col('asset_id'), [...assetIds])
      .orderBy([{ column: this.col('reported_at'), order: 'desc' }, { column: this.col('id'), order: 'desc' }])) as Fault[];
  }

  /** The steps of each fault, in order; only of faults this request may read. */
  async events(faultIds: readonly number[]): Promise<FaultEvent[]> {
    return this.scoped(this.db('fault_events as e').join(FAULT_TABLE, `${FAULT_TABLE}.id`, 'e.fault_id'))
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select('e.id', 'e.fault_id as faultId', 'e.at', 'e.actor_id as actorId', 'e.from_state as fromState', 'e.to_state as toState', 'e.note', 'u.full_name as actorName')
      .whereIn('e.fault_id', [...faultIds])
      .orderBy([{ column: 'e.fault_id' }, { column: 'e.id' }]);
  }

  /** The vendor repairs of each fault, in order; only of faults this request may read. */
  async vendorRepairs(faultIds: readonly number[]): Promise<VendorRepair[]> {
    return this.scoped(this.db('vendor_repairs as r').join(FAULT_TABLE, `${FAULT_TABLE}.id`, 'r.fault_id'))
      .select(VENDOR_REPAIR_COLUMNS)
      .whereIn('r.fault_id', [...faultIds])
      .orderBy([{ column: 'r.fault_id' }, { column: 'r.id' }]);
  }

  /** The vendor repair with this id, if its fault is readable. */
  async vendorRepair(id: number): Promise<VendorRepair | undefined> {
    return this.scoped(this.db('vendor_repairs as r').join(FAULT_TABLE, `${FAULT_TABLE}.id`, 'r.fault_id')).select(VENDOR_REPAIR_COLUMNS).where('r.id', id).first();
  }

  /**
   * Count, open, resolved and the median hours to resolve of the faults that pass the filters,
   * per group: neighbourhoods (only those the request may read), asset types, months reported in
   * (Europe/Istanbul), or reporting directorates.
   */
  async figures(by: FaultGrouping, q: Filters<FaultQueryFilter>): Promise<FaultFigure[]> {
    const db = this.db;
    const qb = this.filtered(q).select(
      db.raw('count(*)::int AS count'),
      db.raw(`(count(*) FILTER (WHERE ?? NOT IN ${FINISHED}))::int AS open`, [this.col('state')]),
      db.raw(`(count(*) FILTER (WHERE ${RESOLVED}))::int AS resolved`),
      db.raw(
        `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ?? - ??)::float8 / 3600) FILTER (WHERE ${RESOLVED}) AS "medianHoursToResolve"`,
        [this.col('resolved_at'), this.col('reported_at')],
      ),
    );
    let key: Knex.Raw;
    let label: Knex.Raw;
    if (by === FaultGrouping.NEIGHBOURHOOD) {
      // A fault in no neighbourhood the request may read is in no group.
      const scope = this.access.condition(db as Knex, Resource.NEIGHBOURHOODS, Action.READ, layerTarget('n'));
      qb.join(`${NEIGHBOURHOOD_TABLE} as n`, (j) => {
        j.on(db.raw('ST_Intersects(n.geom, ??)', [this.geom]));
        if (scope) j.andOn(scope);
      });
      [key, label] = [db.raw('n.id::text'), db.raw('n.name')];
      qb.groupBy('n.id', 'n.name');
    } else if (by === FaultGrouping.ASSET_TYPE) {
      qb.leftJoin('assets as a', 'a.id', this.col('asset_id'));
      [key, label] = [db.raw(`coalesce(a.type::text, 'NONE')`), db.raw(`coalesce(a.type::text, 'No asset (reported on a place)')`)];
      qb.groupBy('a.type');
    } else if (by === FaultGrouping.MONTH) {
      const month = `to_char(?? AT TIME ZONE 'Europe/Istanbul', 'YYYY-MM')`;
      [key, label] = [db.raw(month, [this.col('reported_at')]), db.raw(month, [this.col('reported_at')])];
      qb.groupByRaw(month, [this.col('reported_at')]);
    } else {
      qb.join('org_units as o', 'o.id', this.col('owner_org_unit_id'));
      [key, label] = [db.raw('o.code'), db.raw('o.name')];
      qb.groupBy('o.id', 'o.code', 'o.name');
    }
    qb.select(db.raw('? AS key', [key]), db.raw('? AS label', [label]));
    if (by === FaultGrouping.MONTH) qb.orderBy('key');
    else qb.orderBy([{ column: 'count', order: 'desc' }, { column: 'key' }]);
    return qb;
  }
}

export const VENDOR_REPAIR_COLUMNS = [
  'r.id',
  'r.version',
  'r.fault_id as faultId',
  'r.asset_id as assetId',
  'r.vendor_id as vendorId',
  'r.basis',
  'r.sent_on as sentOn',
  'r.expected_back_on as expectedBackOn',
  'r.returned_on as returnedOn',
  'r.outcome',
  'r.cost_try as costTry',
  'r.notes',
];

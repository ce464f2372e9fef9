import type { Knex } from 'knex';
import type { Context } from '../../context';
import { Action, Resource } from '../../common/auth/resources';
import { badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import { Connection, pageSize } from '../../common/pagination/connection';
import type { LayerRepositoryClass } from '../../geo/feature-collection';
import { resolveSpatialFilter } from '../../geo/spatial-filter';
import { AssetRepository } from '../assets';
import { CameraRepository } from '../cameras';
import { NeighbourhoodRepository } from '../neighbourhoods';
import { NetworkLineRepository, NetworkNodeRepository } from '../network';
import { ParcelRepository } from '../parcels';
import { RemoteUnitRepository } from '../remote-units';
import { HistoryRepository, type VersionRow } from './history.repository';
import { ChangeKind, HistoryLayer, type ChangesArgs, type FeatureChange, type FeatureVersion, type FieldChange } from './history.type';

/** Each layer that keeps a history, in the order `changes` lists them, with its repository (for its definition). */
const LAYERS: [HistoryLayer, LayerRepositoryClass, string][] = [
  [HistoryLayer.NEIGHBOURHOODS, NeighbourhoodRepository, 'neighbourhood'],
  [HistoryLayer.PARCELS, ParcelRepository, 'parcel'],
  [HistoryLayer.REMOTE_UNITS, RemoteUnitRepository, 'remote unit'],
  [HistoryLayer.NETWORK_NODES, NetworkNodeRepository, 'network node'],
  [HistoryLayer.NETWORK_LINES, NetworkLineRepository, 'network line'],
  [HistoryLayer.CAMERAS, CameraRepository, 'camera'],
  [HistoryLayer.ASSETS, AssetRepository, 'asset'],
];

/** Keys of a jsonb/selectList row that are not the feature's attributes. */
const NOT_PROPERTIES = new Set(['id', 'geometry', 'withheld', 'validFrom', 'validTo', 'writtenBy', 'deletedBy']);
/** Fields every write changes: kept in the values, left out of the field-by-field changes. */
const BOOKKEEPING = new Set(['version', 'createdAt', 'updatedAt']);

/** Cursor keys of `changes`: (layer, id) as one number, so that a page continues where it stopped. */
const LAYER_KEY = 1e12;

function repository(ctx: Context, layer: HistoryLayer): HistoryRepository {
  const [, Repo] = LAYERS.find(([l]) => l === layer)!;
  const definition = new Repo(ctx.db, ctx.access).layer;
  return new HistoryRepository(ctx.db, definition, ctx.access, ctx.access.can(Resource.AUDIT_LOG, Action.READ));
}

/** A timestamp as to_jsonb writes it (microseconds, an offset). */
const JSONB_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/;

/** The attributes of a row, timestamps written as GraphQL writes them (ISO 8601, UTC, milliseconds). */
const properties = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => !NOT_PROPERTIES.has(k))
      .map(([k, v]) => [k, typeof v === 'string' && JSONB_TIMESTAMP.test(v) ? new Date(v).toISOString() : v]),
  );

/** Whether two values of a field are the same (timestamps as instants). */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : (v ?? null));
  return norm(a) === norm(b);
}

/** Field by field: before against after (either may be null: a creation or a deletion). */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !NOT_PROPERTIES.has(f) || f === 'geometry');
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (BOOKKEEPING.has(field)) continue;
    const b = before ? (before[field] ?? null) : null;
    const a = after ? (after[field] ?? null) : null;
    if (before && after && same(b, a)) continue;
    if ((!before || !after) && (before ? b : a) === null) continue;
    changes.push({ field, before: b, after: a });
  }
  return changes;
}

export const historyService = {
  /** Every version of one feature the request may read, oldest first, and its deletion. */
  async versions(ctx: Context, layer: HistoryLayer, idArg: string): Promise<FeatureVersion[]> {
    const repo = repository(ctx, layer);
    const what = LAYERS.find(([l]) => l === layer)![2];
    ctx.access.require(repo.layer.resource, Action.READ, repo.layer.table.replace(/_/g, ' '));
    const id = parseId(idArg, 'id');
    const [rows, knownFrom] = await Promise.all([repo.of(id), this.knownFrom(ctx.db, repo.layer.table)]);
    if (rows.length === 0) throw notFound(what, idArg);
    const versions: FeatureVersion[] = [];
    let previous: Record<string, unknown> | null = null;
    for (const row of rows) {
      const current = { ...properties(row), geometry: row.geometry };
      // A first version that began before the history was kept is the row as it was found then.
      const action = previous ? ChangeKind.UPDATED : row.validFrom <= knownFrom && !row.writtenBy ? ChangeKind.RECORDED : ChangeKind.CREATED;
      versions.push(version(row, action, previous, current));
      previous = current;
      if (row.deletedBy) {
        versions.push({
          action: ChangeKind.DELETED,
          validFrom: row.validTo!,
          validTo: null,
          version: null,
          changedBy: row.deletedBy.username ?? null,
          requestId: row.deletedBy.requestId ?? null,
          properties: null,
          geometry: null,
          changes: fieldChanges(current, null),
        });
      }
    }
    return versions;
  },

  async knownFrom(db: Knex, table: string): Promise<Date> {
    const row = await db('history_known_from').where('table_name', table).first('known_from');
    return row.known_from as Date;
  },

  /** What was created, updated and deleted in [from, to), in the layers and area asked for. */
  async changes(ctx: Context, args: ChangesArgs): Promise<Connection<FeatureChange>> {
    const first = pageSize(args);
    const from = args.from;
    const to = args.to ?? new Date();
    if (!(from < to)) throw badInput(`"from" (${from.toISOString()}) must be before "to" (${to.toISOString()})`);
    const asked = args.layers?.length ? [...new Set(args.layers)] : null;
    const layers = LAYERS.map(([layer], index) => ({ layer, index, repo: repository(ctx, layer) })).filter(({ layer, repo }) => {
      if (!asked) return ctx.access.can(repo.layer.resource, Action.READ);
      if (!asked.includes(layer)) return false;
      ctx.access.require(repo.layer.resource, Action.READ, repo.layer.table.replace(/_/g, ' '));
      return true;
    });
    if (!asked && layers.length === 0) ctx.access.require(Resource.CAMERAS, Action.READ, 'any layer');
    const predicates = await resolveSpatialFilter(ctx.db, ctx.geo, ctx.access, args.spatial);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const union = () =>
      ctx.db.raw(layers.map(() => '(?)').join(' UNION ALL '), layers.map(({ repo, index }) => repo.changesSql(index, from, to, predicates)));
    if (layers.length === 0 || first === 0) {
      return new Connection([], Connection.pageInfo([], false), async () => (layers.length ? count() : 0));
    }
    async function count(): Promise<number> {
      const { rows } = await ctx.db.raw('SELECT count(*) AS n FROM (?) c', [union()]);
      return Number(rows[0].n);
    }
    const afterKey = after?.kind === 'id' ? after.id : null;
    const key = afterKey !== null ? [Math.floor(afterKey / LAYER_KEY), afterKey % LAYER_KEY] : [-1, 0];
    const { rows } = await ctx.db.raw('SELECT * FROM (?) c WHERE (c."layerIndex", c.id) > (?, ?) ORDER BY c."layerIndex", c.id LIMIT ?', [
      union(),
      key[0],
      key[1],
      first + 1,
    ]);
    const hasNextPage = rows.length > first;
    if (hasNextPage) rows.length = first;
    const edges = (rows as import('./history.repository').ChangeRow[]).map((row) => {
      const node: FeatureChange = {
        layer: LAYERS[row.layerIndex][0],
        id: row.id,
        kind: !row.existedBefore ? ChangeKind.CREATED : !row.existsAfter ? ChangeKind.DELETED : ChangeKind.UPDATED,
        changedAt: row.changedAt,
        changedBy: row.writtenBy?.username ?? null,
        before: row.before ? { ...properties(row.before), geometry: row.before.geometry ?? null } : null,
        after: row.after ? { ...properties(row.after), geometry: row.after.geometry ?? null } : null,
        changes: [],
      };
      node.changes = fieldChanges(node.before, node.after);
      return { node, cursor: encodeCursor({ kind: 'id', id: row.layerIndex * LAYER_KEY + row.id }), distanceMeters: null };
    });
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), count);
  },
};

function version(row: VersionRow, action: ChangeKind, previous: Record<string, unknown> | null, current: Record<string, unknown>): FeatureVersion {
  const { geometry, ...values } = current;
  return {
    action,
    validFrom: row.validFrom,
    validTo: row.validTo,
    version: row.version,
    changedBy: row.writtenBy?.username ?? null,
    requestId: row.writtenBy?.requestId ?? null,
    properties: values,
    geometry,
    changes: action === ChangeKind.RECORDED ? [] : fieldChanges(previous, current),
  };
}

import type { Knex } from 'knex';
import { layerTarget, type Access, type ScopeTarget } from '../../common/auth/access';
import { Action, LAYER_TABLES, Resource, SENSITIVE_FIELDS } from '../../common/auth/resources';
import { USER_TARGET } from '../users/user.repository';

/**
 * The columns a grant's limits refer to on each resource's rows (qualified with the table name):
 * the same targets the resource's own repository reads with. A resource not listed here is judged
 * without its row: only a grant with no area, directorate or public limit reveals its fields.
 */
function targetOf(resource: Resource): ScopeTarget {
  if (resource in LAYER_TABLES) return layerTarget(LAYER_TABLES[resource as keyof typeof LAYER_TABLES]);
  if (resource === Resource.ASSETS) return layerTarget('assets');
  if (resource === Resource.FAULTS) return layerTarget('faults');
  if (resource === Resource.USERS) return USER_TARGET;
  return {};
}

/**
 * The keys a sensitive field may have in a stored snapshot: the column name (snapshots are the row
 * as `to_jsonb` writes it, e.g. `stream_url`) and the GraphQL name itself (`streamUrl`), for
 * snapshots built by hand.
 */
export function snapshotKeys(field: string): string[] {
  const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return column === field ? [field] : [column, field];
}

/**
 * The row a snapshot describes, as far as a grant's limits look at it: each column of `target`
 * read back from the JSON (the geometry from its GeoJSON), under the table's own name, so that
 * Access.condition() applies to it unchanged. A key missing from the snapshot is null, and a null
 * meets no limit: such a snapshot reveals nothing to a limited grant.
 */
function snapshotRow(db: Knex, snapshot: Knex.Raw, target: ScopeTarget): Knex.Raw | null {
  const parts: Knex.Raw[] = [];
  let table: string | undefined;
  const column = (qualified: string) => {
    const [t, c] = qualified.split('.');
    if (table !== undefined && t !== table) throw new Error(`a scope target spans two tables: ${table} and ${t}`);
    table = t;
    return c;
  };
  if (target.geom) {
    parts.push(
      db.raw(`CASE WHEN jsonb_typeof((?)->'geometry') = 'object' THEN ST_SetSRID(ST_GeomFromGeoJSON(((?)->'geometry')::text), 4326) END AS ??`, [
        snapshot,
        snapshot,
        column(target.geom),
      ]),
    );
  }
  if (target.owner) {
    const c = column(target.owner);
    parts.push(db.raw(`((?)->>?::text)::int AS ??`, [snapshot, c, c]));
  }
  if (target.isPublic) {
    const c = column(target.isPublic);
    parts.push(db.raw(`((?)->>?::text)::boolean AS ??`, [snapshot, c, c]));
  }
  if (!table) return null;
  return db.raw(`(SELECT ${parts.map(() => '?').join(', ')}) AS ??`, [...parts, table]);
}

/**
 * A snapshot column of the audit log (`audit_log.before` or `.after`) as this request may read it:
 * each sensitive field of the entity's resource (SENSITIVE_FIELDS) set to null unless a READ grant
 * that names the field reaches the row the snapshot describes, decided in SQL with the very
 * conditions the resource's own reads use. Every sensitive field of every resource is covered: a
 * new one needs nothing here.
 */
export function readableSnapshot(db: Knex, access: Access, column: string): Knex.Raw {
  const snapshot = db.raw('??', [column]);
  const cases: Knex.Raw[] = [];
  for (const [resource, fields] of Object.entries(SENSITIVE_FIELDS) as [Resource, readonly string[]][]) {
    const target = targetOf(resource);
    let masked: Knex.Raw | null = null;
    for (const field of fields) {
      const revealed = access.condition(db, resource, Action.READ, target, field);
      if (revealed === null) continue;
      const row = snapshotRow(db, snapshot, target);
      const shown = !access.grantsFor(resource, Action.READ).some((g) => g.fields.includes(field))
        ? db.raw('false')
        : row
          ? db.raw('coalesce((SELECT ? FROM ?), false)', [revealed, row])
          : db.raw('coalesce(?, false)', [revealed]);
      // Only keys the snapshot has are set (create_missing false), so nothing is added to it.
      for (const key of snapshotKeys(field)) {
        masked = db.raw(`jsonb_set(?, ?::text[], CASE WHEN ? THEN coalesce((?)->?::text, 'null'::jsonb) ELSE 'null'::jsonb END, false)`, [
          masked ?? snapshot,
          [key],
          shown,
          snapshot,
          key,
        ]);
      }
    }
    if (masked) cases.push(db.raw('WHEN ? THEN ?', [resource, masked]));
  }
  const name = column.split('.').pop()!;
  if (cases.length === 0) return db.raw('?? AS ??', [column, name]);
  return db.raw(`CASE audit_log.entity ${cases.map(() => '?').join(' ')} ELSE ?? END AS ??`, [...cases, column, name]);
}

import type { Knex } from 'knex';
import { badInput } from '../common/errors/app-error';
import type { Queryable } from './queryables';

/** One key of an order: a queryable's value as the request reads it, and its direction. */
export interface SortKey {
  name: string;
  sql: Knex.Raw;
  descending: boolean;
}

/** A `sortby` after checking, with the id appended so the order is total; `text` names it in cursors. */
export interface Sort {
  keys: SortKey[];
  text: string;
}

/**
 * `sortby` (the parameter of OGC API - Records and of the Features sorting proposal): a
 * comma-separated list of queryables, each optionally preceded by `+` (ascending, the default) or
 * `-` (descending). Undefined for the plain order by id.
 */
export function parseSortby(value: string | undefined, queryables: ReadonlyMap<string, Queryable>, collection: string): Sort | undefined {
  if (value === undefined) return undefined;
  const keys: SortKey[] = [];
  for (const raw of value.split(',')) {
    // A "+" left unescaped arrives as a space: ascending, the default, either way.
    const m = /^([+-]?)(.+)$/.exec(raw.trim());
    if (!m) throw badInput(`sortby: "${value}" has an empty entry; give properties separated by commas, each optionally preceded by + or -, e.g. sortby=-updatedAt,name`);
    const [, sign, name] = m;
    const q = queryables.get(name);
    if (!q || q.type === 'geometry') {
      const names = [...queryables.values()].filter((x) => x.type !== 'geometry').map((x) => x.name);
      throw badInput(`sortby: "${name}" is not a sortable property of ${collection}; use one of ${names.join(', ')}`);
    }
    if (keys.some((k) => k.name === name)) throw badInput(`sortby: "${name}" is given twice`);
    keys.push({ name, sql: q.sql, descending: sign === '-' });
  }
  if (keys.length === 1 && keys[0].name === 'id' && !keys[0].descending) return undefined;
  if (!keys.some((k) => k.name === 'id')) keys.push({ name: 'id', sql: queryables.get('id')!.sql, descending: false });
  return { keys, text: keys.map((k) => `${k.descending ? '-' : '+'}${k.name}`).join(',') };
}

/** A keyset cursor of a sorted list: the order it belongs to and the keys of the last row read. */
export function encodeSortCursor(sort: Sort, keys: (string | null)[]): string {
  return Buffer.from(JSON.stringify({ sortby: sort.text, after: keys }), 'utf8').toString('base64url');
}

/** The keys of the row a sorted page starts after; 400 for a cursor of another list or order. */
export function decodeSortCursor(value: string, sort: Sort): (string | null)[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const c = decoded as { sortby?: unknown; after?: unknown } | undefined;
  if (typeof c !== 'object' || c === null || typeof c.sortby !== 'string' || !Array.isArray(c.after)) {
    throw badInput(`malformed cursor "${value}": pass the cursor of a "next" link of this list, with the same sortby`);
  }
  if (c.sortby !== sort.text || c.after.length !== sort.keys.length || !c.after.every((v) => v === null || typeof v === 'string')) {
    throw badInput('this cursor belongs to a list in another order: pass the same sortby, or start again without cursor');
  }
  return c.after as (string | null)[];
}

/**
 * Rows after the one whose keys are `after`, in the order of `keys` (ascending with nulls last,
 * descending with nulls first, as sortedPage orders): for some key, all keys before it equal and it
 * strictly after. The values are bindings, typed by the expression they meet.
 */
export function keysetAfter(db: Knex, keys: SortKey[], after: (string | null)[]): Knex.Raw {
  const equal = (k: SortKey, v: string | null) => (v === null ? db.raw('(?) IS NULL', [k.sql]) : db.raw('(?) = ?', [k.sql, v]));
  const beyond = (k: SortKey, v: string | null): Knex.Raw => {
    if (k.descending) return v === null ? db.raw('(?) IS NOT NULL', [k.sql]) : db.raw('(?) < ?', [k.sql, v]);
    return v === null ? db.raw('FALSE') : db.raw('((?) > ? OR (?) IS NULL)', [k.sql, v, k.sql]);
  };
  const alternatives = keys.map((k, i) => {
    const parts = [...keys.slice(0, i).map((p, j) => equal(p, after[j])), beyond(k, after[i])];
    return db.raw(`(${parts.map(() => '?').join(' AND ')})`, parts);
  });
  return db.raw(`(${alternatives.map(() => '?').join(' OR ')})`, alternatives);
}

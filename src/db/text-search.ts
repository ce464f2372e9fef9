import type { Knex } from 'knex';

/** Escapes LIKE's wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` equals `text` through kbs_fold(). */
export function foldedEquals(db: Knex, column: string, text: string): Knex.Raw {
  return db.raw('kbs_fold(??) = kbs_fold(?)', [column, text]);
}

/**
 * Any of `columns` contains `text`, compared through kbs_fold() (see its migration): case, Turkish
 * dotted/dotless i and diacritics do not matter. The `search` filter of the layers.
 */
export function foldedContainsAny(db: Knex, columns: string[], text: string): Knex.Raw {
  const like = columns.map(() => `kbs_fold(??) LIKE '%' || kbs_fold(?) || '%'`).join(' OR ');
  return db.raw(`(${like})`, columns.flatMap((c) => [c, escapeLike(text)]));
}

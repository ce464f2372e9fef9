import type { Knex } from 'knex';

/** Escapes LIKE's wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `column` contains `text`, compared through kbs_fold() (see its migration): case, Turkish
 * dotted/dotless i and diacritics do not matter.
 */
export function foldedContains(db: Knex, column: string, text: string): Knex.Raw {
  return db.raw(`kbs_fold(??) LIKE '%' || kbs_fold(?) || '%'`, [column, escapeLike(text)]);
}

/** `column` equals `text` through kbs_fold(). */
export function foldedEquals(db: Knex, column: string, text: string): Knex.Raw {
  return db.raw('kbs_fold(??) = kbs_fold(?)', [column, text]);
}

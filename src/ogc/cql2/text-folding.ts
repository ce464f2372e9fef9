import type { Knex } from 'knex';

/*
 * CQL2's CASEI and ACCENTI, in SQL that does not depend on the database's locale (lower() does):
 * letters are mapped explicitly, like kbs_fold() (which does both at once for GraphQL's name
 * filters). Turkish text is written with and without its own letters (a keyboard without İ, ı, Ş
 * …), so CASEI takes I, İ, ı and i for one letter; ACCENTI takes Ç, Ğ, Ö, Ş, Ü (and â, î, û, and the
 * accented letters of Latin-1) for their plain letters. CASEI(ACCENTI(x)) = kbs_fold(x).
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÇĞÖŞÜÂÎÛİIıÀÁÃÄÅÈÉÊËÌÍÏÑÒÓÕÙÚÝ';
const LOWER = 'abcdefghijklmnopqrstuvwxyzçğöşüâîûiiiàáãäåèéêëìíïñòóõùúý';

const ACCENTED = 'ÇĞÖŞÜÂÎÛİçğöşüâîûÀÁÃÄÅÈÉÊËÌÍÏÑÒÓÕÙÚÝàáãäåèéêëìíïñòóõùúýÿ';
const PLAIN = 'CGOSUAIUIcgosuaiuAAAAAEEEEIIINOOOUUYaaaaaeeeeiiinooouuyy';

/** CASEI(x): upper case to lower case, the four Turkish i's alike. */
export const foldCase = (db: Knex, sql: Knex.Raw): Knex.Raw => db.raw('translate(?, ?, ?)', [sql, UPPER, LOWER]);

/** ACCENTI(x): diacritics removed (İ becomes I; ı, a letter of its own, stays). */
export const foldAccents = (db: Knex, sql: Knex.Raw): Knex.Raw => db.raw('translate(?, ?, ?)', [sql, ACCENTED, PLAIN]);

/** Both tables line up letter for letter (checked by the tests). */
export const FOLDING_TABLES = { UPPER, LOWER, ACCENTED, PLAIN };

import type { Knex } from 'knex';
import { badInput } from '../common/errors/app-error';
import { dateProblem } from '../common/input/date.scalar';
import { isTimestamp } from './cql2/to-sql';
import type { Queryable } from './queryables';

/** One end of a `datetime`: a calendar day, an instant (RFC 3339), or open. */
type End = { kind: 'date'; value: string } | { kind: 'instant'; value: string } | null;

/** A `datetime` after checking: an instant or day, or an interval whose ends may be open. */
export type Datetime = { kind: 'instant'; at: Exclude<End, null> } | { kind: 'interval'; start: End; end: End };

const EXAMPLES = "e.g. 2026-01-05T09:00:00Z, 2026-01-05, 2026-01-01T00:00:00Z/2026-02-01T00:00:00Z, 2026-01-01/.. or ../2026-02-01";

/**
 * Part 1's `datetime` (/req/core/fc-time-definition): an instant or a day, or an interval `a/b`
 * whose ends may be open (`..` or empty). Instants are RFC 3339 date-times with an offset; days
 * are YYYY-MM-DD (GDAL 3.6 writes them `YYYY-MM-DDT`, which is read as the day).
 */
export function parseDatetime(value: string): Datetime {
  const parts = value.split('/');
  if (parts.length > 2) throw badInput(`datetime: "${value}" has more than one "/"; ${EXAMPLES}`);
  if (parts.length === 1) {
    const at = end(parts[0], value);
    if (!at) throw badInput(`datetime: "${value}" is open on both sides; give an instant, a day or an interval (${EXAMPLES})`);
    return { kind: 'instant', at };
  }
  const [start, finish] = [end(parts[0], value), end(parts[1], value)];
  if (!start && !finish) throw badInput(`datetime: "${value}" is open on both sides; give at least one end (${EXAMPLES})`);
  if (start && finish && bound(start, 'start') > bound(finish, 'end')) {
    throw badInput(`datetime: "${value}" ends before it starts`);
  }
  return { kind: 'interval', start, end: finish };
}

function end(text: string, whole: string): End {
  if (text === '' || text === '..') return null;
  const day = /^(\d{4}-\d{2}-\d{2})T?$/.exec(text)?.[1];
  if (day !== undefined) {
    const problem = dateProblem(day);
    if (problem) throw badInput(`datetime: ${problem}`);
    return { kind: 'date', value: day };
  }
  if (isTimestamp(text)) return { kind: 'instant', value: text };
  throw badInput(`datetime: "${text}"${text === whole ? '' : ` in "${whole}"`} is neither an RFC 3339 date-time with an offset nor a date YYYY-MM-DD; ${EXAMPLES}`);
}

/** An end as a comparable instant (ms): a day starts at 00:00 UTC and ends at the next midnight. */
function bound(e: Exclude<End, null>, side: 'start' | 'end'): number {
  if (e.kind === 'instant') return Date.parse(e.value);
  return Date.parse(`${e.value}T00:00:00Z`) + (side === 'end' ? 86_400_000 - 1 : 0);
}

/**
 * The condition on the collection's temporal property (/req/core/fc-time-response): features whose
 * time intersects the instant or interval. A timestamp property is an instant: inside the interval,
 * ends included (a day as an end covers the whole day, in UTC). A date property is its whole day
 * (UTC): it matches when the day meets the interval. Features without a time never match.
 */
export function datetimeCondition(db: Knex, d: Datetime, time: Queryable): Knex.Raw {
  const t = time.sql;
  const [start, finish] = d.kind === 'instant' ? [d.at, d.at] : [d.start, d.end];
  const parts: Knex.Raw[] = [db.raw('(?) IS NOT NULL', [t])];
  if (time.type === 'date') {
    if (start) parts.push(db.raw('(?) >= ?::date', [t, utcDay(start)]));
    if (finish) parts.push(db.raw('(?) <= ?::date', [t, utcDay(finish)]));
  } else {
    if (start) parts.push(start.kind === 'date' ? db.raw(`(?) >= (?::date::timestamp AT TIME ZONE 'UTC')`, [t, start.value]) : db.raw('(?) >= ?::timestamptz', [t, start.value]));
    if (finish) {
      parts.push(
        finish.kind === 'date'
          ? db.raw(`(?) < ((?::date + 1)::timestamp AT TIME ZONE 'UTC')`, [t, finish.value])
          : db.raw('(?) <= ?::timestamptz', [t, finish.value]),
      );
    }
  }
  return db.raw(`(${parts.map(() => '?').join(' AND ')})`, parts);
}

/** The UTC calendar day of an end. */
function utcDay(e: Exclude<End, null>): string {
  return e.kind === 'date' ? e.value : new Date(Date.parse(e.value)).toISOString().slice(0, 10);
}

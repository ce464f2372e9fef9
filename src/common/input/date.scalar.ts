import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../errors/app-error';

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/**
 * Why `value` is not a calendar day written YYYY-MM-DD, or undefined when it is one. Only digits
 * in that form: PostgreSQL would also take "yesterday", "epoch", "infinity" or "2026-1-5", and
 * refuse 2026-02-30 with an error of its own.
 */
export function dateProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `a date is a string YYYY-MM-DD, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}`;
  const m = FORMAT.exec(value);
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (!m) return `${shown} is not a date written YYYY-MM-DD`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year === 0) return `${shown} is not a date: there is no year 0`;
  if (month < 1 || month > 12) return `${shown} is not a date: there is no month ${m[2]}`;
  if (day === 0) return `${shown} is not a date: there is no day 00`;
  const days = daysIn(year, month);
  if (day > days) return `${shown} is not a date: ${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

function parse(value: unknown): string {
  const problem = dateProblem(value);
  if (problem) throw badInput(problem);
  return value as string;
}

/**
 * `Date`: a calendar day, as the `date` columns hold it (installation, purchase, warranty,
 * contract, decision and repair dates). One scalar for every such input, so each is checked the
 * same way before anything runs.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description:
    'A calendar day written YYYY-MM-DD (RFC 3339 full-date), e.g. 2026-03-15: a day that exists in the Gregorian calendar, years 0001 to 9999. No time and no time zone.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput(`a date is a string "YYYY-MM-DD", not ${ast.kind === Kind.NULL ? 'null' : 'a literal of another kind'}`);
    return parse(ast.value);
  },
});

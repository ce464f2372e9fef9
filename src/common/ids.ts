import { badInput } from './errors/app-error';

/** Parses an ID argument: layer and entity ids are positive integers. */
export function parseId(value: string | number, argument: string): number {
  const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2147483647) {
    throw badInput(`${argument}: "${value}" is not a valid id`);
  }
  return n;
}

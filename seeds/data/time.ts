/**
 * The sample registers' clock: two years of history ending on a fixed day (never the machine's
 * clock, so every run writes the same rows), and the working hours of a Turkish municipality
 * (Monday to Friday, 08:00–17:00 in Türkiye's time, UTC+3 all year, public holidays off).
 * Times are epoch milliseconds.
 */

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const TZ_OFFSET_MS = 3 * HOUR_MS;
const DAY_START_MIN = 8 * 60;
const DAY_END_MIN = 17 * 60;

/** The first and last moment of the sample's fault history; "now" for the sample is the end. */
export const HISTORY_START = Date.parse('2024-11-24T00:00:00+03:00');
export const SAMPLE_NOW = Date.parse('2026-11-23T18:00:00+03:00');

/** Official holidays (whole days) in the history: national days and the two bayrams. */
const HOLIDAYS = new Set([
  '2025-01-01', '2025-03-30', '2025-03-31', '2025-04-01', '2025-04-23', '2025-05-01', '2025-05-19',
  '2025-06-06', '2025-06-07', '2025-06-08', '2025-06-09', '2025-07-15', '2025-08-30', '2025-10-29',
  '2026-01-01', '2026-03-20', '2026-03-21', '2026-03-22', '2026-04-23', '2026-05-01', '2026-05-19',
  '2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30', '2026-07-15', '2026-08-30', '2026-10-29',
]);

/** The local (UTC+3) calendar date of a moment, YYYY-MM-DD. */
export const localDate = (t: number): string => new Date(t + TZ_OFFSET_MS).toISOString().slice(0, 10);

/** Minutes since local midnight. */
const localMinute = (t: number): number => {
  const d = new Date(t + TZ_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes() + d.getUTCSeconds() / 60;
};

/** The moment `minute` minutes after local midnight of `date` (YYYY-MM-DD), to the second. */
export const atLocal = (date: string, minute: number): number => Date.parse(`${date}T00:00:00+03:00`) + Math.round(minute * 60) * 1000;

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function isWorkingDay(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !HOLIDAYS.has(date);
}

/** The working day on or after `date`. */
export function workingDayFrom(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** `t` if it is in working hours, else the start of the next working day. */
export function intoWorkingTime(t: number): number {
  const date = localDate(t);
  const minute = localMinute(t);
  if (isWorkingDay(date) && minute >= DAY_START_MIN && minute < DAY_END_MIN) return t;
  const next = minute < DAY_START_MIN && isWorkingDay(date) ? date : workingDayFrom(addDays(date, 1));
  return atLocal(next, DAY_START_MIN);
}

/** `minutes` of working time after `t`, to the second (a task started after hours waits for the next morning). */
export function addWorkingMinutes(t: number, minutes: number): number {
  let at = intoWorkingTime(t);
  let left = minutes;
  for (;;) {
    const today = DAY_END_MIN - localMinute(at);
    if (left <= today) return at + Math.round(left * 60) * 1000;
    left -= today;
    at = atLocal(workingDayFrom(addDays(localDate(at), 1)), DAY_START_MIN);
  }
}

/** A moment on a working day in [from, to): a uniform day, a time of day weighted to the morning. */
export function workingMomentBetween(random: () => number, from: number, to: number): number {
  const hours: ReadonlyArray<readonly [number, number]> = [[8, 2], [9, 5], [10, 5], [11, 4], [12, 1], [13, 2], [14, 4], [15, 3], [16, 2]];
  const total = hours.reduce((s, [, w]) => s + w, 0);
  for (let attempt = 0; attempt < 200; attempt++) {
    const date = localDate(from + random() * (to - from));
    if (!isWorkingDay(date)) continue;
    let r = random() * total;
    let hour = 16;
    for (const [h, w] of hours) {
      r -= w;
      if (r < 0) {
        hour = h;
        break;
      }
    }
    const t = atLocal(date, hour * 60 + random() * 60);
    if (t >= from && t < to) return t;
  }
  return intoWorkingTime(from);
}

/** A log-normal draw with the given median: most values near it, a long tail above. */
export function logNormal(random: () => number, median: number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
}

/** A Poisson draw with mean `mean` (small means only). */
export function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

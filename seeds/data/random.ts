import seedrandom from 'seedrandom';

/** Seeded random helpers for the sample data: the same seed gives the same data on every run. */
export function seededRandom(seed: string) {
  const random = seedrandom(seed);
  const between = (min: number, max: number): number => min + random() * (max - min);
  const intBetween = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));
  /** A value drawn with the given weights. */
  function pick<T>(weighted: ReadonlyArray<readonly [T, number]>): T {
    const total = weighted.reduce((sum, [, w]) => sum + w, 0);
    let r = random() * total;
    for (const [value, weight] of weighted) {
      r -= weight;
      if (r < 0) return value;
    }
    return weighted[weighted.length - 1][0];
  }
  return { random, between, intBetween, round, pick };
}

/**
 * The split-conformal quantile with its finite-sample correction: of n exchangeable
 * scores, the ⌈(n + 1)·level⌉-th smallest bounds a new score with probability at least
 * `level`. Used on out-of-fold residuals (`calibrate_intervals.ts`).
 *
 * @module
 */

/** The rank (1-based) of the conformal quantile of `n` scores, or undefined when it exceeds n. */
export function conformalRank(n: number, level: number): number | undefined {
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is not in (0, 1)`);
  // The product of a decimal level and an integer can land a hair above an integer
  // (0.9 · 100 = 90.00000000000001): round it off before the ceiling.
  const rank = Math.ceil(Number(((n + 1) * level).toFixed(9)));
  return rank <= n ? rank : undefined;
}

/**
 * The ⌈(n + 1)·level⌉-th smallest of the finite `scores`, or null when there are too few
 * of them for the level (then no finite bound has the coverage).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const scores = Array.from({ length: 19 }, (_, i) => i + 1); // 1..19
 * assert.equal(conformalQuantile(scores, 0.9), 18); // ⌈20 · 0.9⌉ = 18th smallest
 * assert.equal(conformalQuantile([1, 2, 3], 0.9), null); // ⌈4 · 0.9⌉ = 4 > 3 scores
 * ```
 */
export function conformalQuantile(scores: ArrayLike<number>, level: number): number | null {
  const finite = Float64Array.from(scores).filter(Number.isFinite).sort();
  const rank = conformalRank(finite.length, level);
  return rank === undefined ? null : finite[rank - 1];
}

/**
 * The percentile bootstrap: a confidence interval of any statistic of a sample, from
 * seeded resamples of its rows, so that the interval is the same on every run.
 *
 * @module
 */
import { seededRandom } from "./random.ts";

/** A statistic's value with a percentile bootstrap confidence interval. */
export interface BootstrapEstimate {
  /** The statistic on the sample itself. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** Options of {@linkcode bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples (1000 by default). */
  readonly resamples?: number;
  /** Confidence level of the interval (0.95 by default). */
  readonly level?: number;
  /** Seed of the resampling, so that the interval is reproducible. */
  readonly seed: number;
}

/**
 * Percentile bootstrap interval of `statistic` over a sample of `n` rows: the statistic
 * is computed on `resamples` draws of `n` row indices with replacement, and the interval
 * is the `(1 − level) / 2` and `(1 + level) / 2` quantiles of its finite values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const values = Float64Array.from({ length: 400 }, (_, i) => i % 2); // mean 0.5
 * const mean = (rows: Int32Array) => rows.reduce((s, r) => s + values[r], 0) / rows.length;
 * const ci = bootstrapInterval(values.length, mean, { seed: 1 });
 * assert.equal(ci.estimate, 0.5);
 * assert.ok(ci.low < 0.5 && ci.high > 0.5 && ci.high - ci.low < 0.15); // ±1.96·0.025
 * assert.deepEqual(bootstrapInterval(values.length, mean, { seed: 1 }), ci); // seeded
 * ```
 */
export function bootstrapInterval(
  n: number,
  statistic: (rows: Int32Array) => number,
  options: BootstrapOptions,
): BootstrapEstimate {
  if (n <= 0) throw new RangeError("cannot bootstrap an empty sample");
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = seededRandom(options.seed);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const rows = new Int32Array(n);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    const value = statistic(rows);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) =>
    values.length === 0
      ? NaN
      : values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return { estimate: statistic(all), low: at((1 - level) / 2), high: at((1 + level) / 2) };
}

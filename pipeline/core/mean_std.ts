/**
 * Mean and spread of a handful of repeated measurements, such as per-fold scores or
 * per-repeat importances.
 *
 * @module
 */

/**
 * Mean and sample standard deviation (divisor n − 1, since the values are a sample of
 * what another split or shuffle would give); the std of a single value is 0.
 *
 * @example
 * ```ts
 * meanStd([1, 2, 3]); // { mean: 2, std: 1 }
 * ```
 */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

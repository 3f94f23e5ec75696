/**
 * Reference statistics of the training inputs and predictions, stored in the bundle so
 * that served traffic can later be compared with what the model was trained on.
 *
 * @module
 */
import type { ReferenceStats } from "./bundle_schema.ts";

/** Default number of equal-width histogram bins over [0, 1]. */
export const REFERENCE_BINS = 10;

/**
 * Summarises `values` (NaN = missing) with a histogram over fixed edges in [lo, hi].
 *
 * @example
 * ```ts
 * referenceStats(new Float64Array([0.1, 0.5, NaN]));
 * ```
 */
export function referenceStats(
  values: Float64Array,
  lo = 0,
  hi = 1,
  bins = REFERENCE_BINS,
): ReferenceStats {
  const present = values.filter((v) => !Number.isNaN(v));
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
  const counts = new Array<number>(bins).fill(0);
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of present) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[k]++;
  }
  const mean = present.length > 0 ? sum / present.length : 0;
  let squares = 0;
  for (const v of present) squares += (v - mean) ** 2;
  return {
    count: present.length,
    missingRate: values.length > 0 ? 1 - present.length / values.length : 0,
    mean,
    std: present.length > 1 ? Math.sqrt(squares / (present.length - 1)) : 0,
    min: present.length > 0 ? min : 0,
    max: present.length > 0 ? max : 0,
    histogram: { edges, counts },
  };
}

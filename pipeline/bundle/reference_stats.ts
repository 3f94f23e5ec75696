/**
 * Reference statistics of the training inputs and predictions, stored in the bundle so
 * that served traffic can be compared with what the model was trained on.
 *
 * The histogram is a grid one: bin `k` is centred on `lo + k * step`. The data set's
 * values lie on a 0.01 grid in [0, 1], so with the default 101 bins every training value
 * has a bin of its own and the histogram is the exact distribution; the drift statistics
 * computed from it (serve/monitoring) equal those computed from the rows.
 *
 * @module
 */
import type { Histogram, ReferenceStats } from "./bundle_schema.ts";

/** Default number of histogram bins over [0, 1]: one per 0.01 step. */
export const REFERENCE_BINS = 101;

/** Where a grid histogram's bins lie: bin `k` is centred on `lo + k * step`. */
export interface Grid {
  readonly lo: number;
  readonly step: number;
  readonly bins: number;
}

/**
 * The grid of a histogram whose edges lie half a step either side of each centre.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { histogram } = referenceStats(new Float64Array([0.5]));
 * assert.deepEqual(gridOf(histogram), { lo: 0, step: 0.01, bins: 101 });
 * ```
 */
export function gridOf(histogram: Histogram): Grid {
  const { edges } = histogram;
  // Edges are stored to 12 digits: so are the step and the first centre read back.
  const tidy = (x: number) => Number(x.toPrecision(12)) + 0; // + 0 turns -0 into 0
  const step = tidy((edges.at(-1)! - edges[0]) / (edges.length - 1));
  return { lo: tidy(edges[0] + step / 2), step, bins: edges.length - 1 };
}

/**
 * The bin of `value` on `grid`; values beyond either end go to the end bins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const grid = { lo: 0, step: 0.01, bins: 101 };
 * assert.deepEqual([gridBin(0.37, grid), gridBin(-3, grid), gridBin(1.2, grid)], [37, 0, 100]);
 * ```
 */
export function gridBin(value: number, grid: Grid): number {
  const k = Math.round((value - grid.lo) / grid.step);
  return k < 0 ? 0 : k >= grid.bins ? grid.bins - 1 : k;
}

/**
 * Summarises `values` (NaN = missing) with a grid histogram of `bins` bins over [lo, hi].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceStats } from "./reference_stats.ts";
 *
 * const stats = referenceStats(new Float64Array([0.1, 0.5, NaN]));
 * assert.equal(stats.count, 2);
 * assert.ok(Math.abs(stats.missingRate - 1 / 3) < 1e-12);
 * assert.deepEqual([stats.min, stats.mean, stats.max], [0.1, 0.3, 0.5]);
 * assert.deepEqual([stats.histogram.counts[10], stats.histogram.counts[50]], [1, 1]); // 0.1, 0.5
 * ```
 */
export function referenceStats(
  values: Float64Array,
  lo = 0,
  hi = 1,
  bins = REFERENCE_BINS,
): ReferenceStats {
  const present = values.filter((v) => !Number.isNaN(v));
  const step = (hi - lo) / (bins - 1);
  const grid: Grid = { lo, step, bins };
  // Rounded so that the edges of the default grid read 0.005, 0.015, ... in the bundle.
  const edges = Array.from(
    { length: bins + 1 },
    (_, k) => Number((lo + (k - 0.5) * step).toPrecision(12)),
  );
  const counts = new Array<number>(bins).fill(0);
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of present) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    counts[gridBin(v, grid)]++;
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

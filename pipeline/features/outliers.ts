// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Flags values far from their column's median in robust units (median absolute
 * deviation). A report only: the normalised data caps values at 1, so none are removed.
 *
 * @module
 */
import { median } from "../core/statistics.ts";

/** Outlier counts of one column. */
export interface OutlierSummary {
  readonly column: string;
  readonly count: number;
  readonly maxRobustZ: number;
}

/**
 * Counts values whose robust z-score exceeds `threshold`; constant-ish columns count none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { robustOutliers } from "./outliers.ts";
 *
 * const summary = robustOutliers("x", new Float64Array([0.4, 0.41, 0.42, 0.43, 1]), 6);
 * assert.equal(summary.count, 1);
 * ```
 */
export function robustOutliers(
  column: string,
  values: Float64Array,
  threshold: number,
): OutlierSummary {
  const center = median(values);
  const mad = median(values.map((v) => Math.abs(v - center))) * 1.4826;
  if (!(mad > 0)) return { column, count: 0, maxRobustZ: 0 };
  let count = 0;
  let maxRobustZ = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    const z = Math.abs(v - center) / mad;
    maxRobustZ = Math.max(maxRobustZ, z);
    if (z > threshold) count++;
  }
  return { column, count, maxRobustZ };
}

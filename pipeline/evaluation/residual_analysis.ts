// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Residual analysis of out-of-fold predictions: error by state, by quantile band of the
 * racial-composition features (a known fairness concern of this data set), and how
 * strongly residuals still correlate with each feature group.
 *
 * @module
 */
import { FEATURE_GROUPS } from "../data/feature_groups.ts";
import { pearson } from "../core/statistics.ts";
import { type GroupError, groupErrors, quantileBands } from "./group_errors.ts";

/** The racial-composition features whose bands are checked for unequal error. */
export const FAIRNESS_FEATURES = ["racepctblack", "racePctWhite", "racePctHisp", "racePctAsian"];

/** The residual analysis, as plain data for plots and reports. */
export interface ResidualAnalysis {
  readonly byState: readonly GroupError[];
  readonly byRacialBand: readonly (GroupError & { feature: string })[];
  readonly byFeatureGroup: readonly { group: string; feature: string; correlation: number }[];
}

/**
 * Analyses residuals (actual − predicted) of `rows` (indices into the columns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyseResiduals } from "./residual_analysis.ts";
 *
 * const analysis = analyseResiduals(
 *   new Float64Array([0.1, 0.2, 0.3, 0.4]),
 *   new Float64Array([0.1, 0.3, 0.3, 0.3]),
 *   new Float64Array([6, 6, 36, 36]),
 *   new Map(),
 * );
 * assert.deepEqual(analysis.byState.map((s) => s.group), ["6", "36"]);
 * ```
 */
export function analyseResiduals(
  actual: Float64Array,
  predicted: Float64Array,
  states: Float64Array,
  columns: ReadonlyMap<string, Float64Array>,
): ResidualAnalysis {
  const byState = groupErrors(actual, predicted, (i) => String(states[i]));
  const byRacialBand = FAIRNESS_FEATURES.filter((f) => columns.has(f)).flatMap((feature) =>
    groupErrors(actual, predicted, quantileBands(columns.get(feature)!, 4)).map((g) => ({
      ...g,
      feature,
    }))
  );
  const residuals = actual.map((a, i) => a - predicted[i]);
  const byFeatureGroup = Object.entries(FEATURE_GROUPS).flatMap(([group, names]) => {
    const scored = names.filter((n) => columns.has(n)).map((feature) => ({
      group,
      feature,
      correlation: pearson(residuals, columns.get(feature)!),
    })).filter((s) => Number.isFinite(s.correlation));
    if (scored.length === 0) return [];
    return [scored.reduce((a, b) => (Math.abs(b.correlation) > Math.abs(a.correlation) ? b : a))];
  });
  return { byState, byRacialBand, byFeatureGroup };
}

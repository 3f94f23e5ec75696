/**
 * The evaluation stage's DVC plots and metrics: CSV tables of predictions, errors by
 * group, residual correlations and importance (declared in `dvc.yaml`, drawn by the
 * templates in `.dvc/plots/`), and the headline figures of `reports/evaluation.json`.
 *
 * @module
 */
import type { EvaluationSummary } from "../artefacts/evaluation_summary.ts";
import { stateName } from "../data/us_states.ts";
import type { GroupError } from "../evaluation/group_errors.ts";
import type { Importance } from "../evaluation/permutation_importance.ts";
import type { ResidualAnalysis } from "../evaluation/residual_analysis.ts";

function csv(header: string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
}

/** What the plots show. */
export interface PlotInputs {
  /** Row indices (of the clean table) of the out-of-fold predictions. */
  readonly rows: Int32Array;
  readonly actual: Float64Array;
  readonly predicted: Float64Array;
  readonly analysis: ResidualAnalysis;
  /** The most important features, most important first. */
  readonly importance: readonly Importance[];
  /** Groups of fewer rows are left out of the error tables (`evaluate.min_group_rows`). */
  readonly minGroupRows: number;
}

/**
 * The groups of at least `minRows` rows, highest RMSE first: the groups the plots and
 * the headline figures speak of.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const group = (name: string, count: number, rmse: number) =>
 *   ({ group: name, count, rmse, meanResidual: 0, meanActual: 0 });
 * const kept = largeGroups([group("a", 3, 0.9), group("b", 10, 0.1), group("c", 12, 0.2)], 10);
 * assert.deepEqual(kept.map((g) => g.group), ["c", "b"]);
 * ```
 */
export function largeGroups<G extends GroupError>(groups: readonly G[], minRows: number): G[] {
  return groups.filter((g) => g.count >= minRows).toSorted((a, b) => b.rmse - a.rmse);
}

/**
 * The plot files by name, as CSV text (numbers to 6 decimals).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const plots = evaluationPlots({
 *   rows: Int32Array.from([4]),
 *   actual: Float64Array.from([0.5]),
 *   predicted: Float64Array.from([0.25]),
 *   analysis: { byState: [], byRacialBand: [], byFeatureGroup: [] },
 *   importance: [],
 *   minGroupRows: 10,
 * });
 * assert.equal(plots["predictions.csv"], "row,actual,predicted,residual\n4,0.5,0.250000,0.250000\n");
 * ```
 */
export function evaluationPlots(inputs: PlotInputs): Record<string, string> {
  const { rows, actual, predicted, analysis, importance, minGroupRows } = inputs;
  const fixed = (v: number) => v.toFixed(6);
  return {
    "predictions.csv": csv(
      ["row", "actual", "predicted", "residual"],
      Array.from(
        rows,
        (r, i) => [r, actual[i], fixed(predicted[i]), fixed(actual[i] - predicted[i])],
      ),
    ),
    "error_by_state.csv": csv(
      ["state", "fips", "count", "rmse", "mean_residual"],
      largeGroups(analysis.byState, minGroupRows).map((g) => [
        stateName(g.group),
        g.group,
        g.count,
        fixed(g.rmse),
        fixed(g.meanResidual),
      ]),
    ),
    "error_by_racial_band.csv": csv(
      ["band", "count", "rmse", "mean_residual"],
      analysis.byRacialBand.filter((g) => g.count >= minGroupRows).map((g) => [
        `${g.feature}:${g.group}`,
        g.count,
        fixed(g.rmse),
        fixed(g.meanResidual),
      ]),
    ),
    "residual_correlation_by_group.csv": csv(
      ["group", "feature", "correlation"],
      analysis.byFeatureGroup.map((g) => [g.group, g.feature, fixed(g.correlation)]),
    ),
    "importance.csv": csv(
      ["feature", "importance", "std"],
      importance.map((t) => [t.feature, fixed(t.importance), fixed(t.std)]),
    ),
  };
}

/**
 * The headline figures: the worst state (of `minGroupRows` or more rows, by name), the
 * spread of RMSE between racial-composition bands, the top feature.
 */
export function evaluationSummary(
  analysis: ResidualAnalysis,
  importance: readonly Importance[],
  minGroupRows: number,
): EvaluationSummary {
  const worstState = largeGroups(analysis.byState, minGroupRows)[0];
  const bandRmse = analysis.byRacialBand.map((g) => g.rmse);
  return {
    worst_state: worstState ? stateName(worstState.group) : "",
    worst_state_rmse: worstState?.rmse ?? 0,
    racial_band_rmse_max: Math.max(...bandRmse),
    racial_band_rmse_min: Math.min(...bandRmse),
    top_feature: importance[0]?.feature ?? "",
    top_feature_importance: importance[0]?.importance ?? 0,
  };
}

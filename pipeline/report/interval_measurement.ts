/**
 * The `evaluate` stage's measurement of prediction intervals: the held-out bundle's
 * intervals (calibrated on the out-of-fold residuals of the folds it was trained on) on
 * the held-out fold, which the held-out model never saw, overall and per group, with
 * every variant calibrated on the same residuals for comparison, and the headline
 * figures for MLflow. The calibration residuals come from the pooled CV over all ten
 * folds, so the fold models behind them did see the held-out rows: a mild leak that can
 * make the measured coverage slightly optimistic.
 *
 * @module
 */
import type { IntervalMeasurement, IntervalReport } from "../artefacts/interval_report.ts";
import type { OofPrediction } from "../artefacts/oof_predictions.ts";
import type { BundleIntervals } from "../bundle/prediction_intervals.ts";
import { selectValues } from "../core/matrix.ts";
import { getColumn, type NumericTable } from "../data/numeric_table.ts";
import { evaluateIntervals } from "../intervals/interval_evaluation.ts";

/** The rows the measurement needs. */
export interface IntervalRows {
  readonly table: NumericTable;
  /** The selected model's out-of-fold predictions (those of the held-out fold are left out). */
  readonly oof: readonly OofPrediction[];
  readonly holdoutFold: number;
  /** Held-out rows: their table indices, targets and the held-out bundle's predictions. */
  readonly holdoutIndices: Int32Array;
  readonly holdoutActual: Float64Array;
  readonly holdoutPredicted: Float64Array;
}

/** Measures `intervals` (the held-out bundle's) on the held-out fold. */
export function measureIntervals(
  intervals: BundleIntervals,
  rows: IntervalRows,
): IntervalMeasurement {
  const feature = intervals.grouping?.feature;
  const column = feature === undefined ? undefined : getColumn(rows.table, feature);
  const calibrationRows = rows.oof.filter((r) => r.fold !== rows.holdoutFold);
  const indices = Int32Array.from(calibrationRows, (r) => r.row);
  const measured = evaluateIntervals(
    intervals,
    {
      actual: calibrationRows.map((r) => r.actual),
      predicted: calibrationRows.map((r) => r.predicted),
      groupValues: column && selectValues(column, indices),
      folds: calibrationRows.map((r) => r.fold),
    },
    {
      actual: rows.holdoutActual,
      predicted: rows.holdoutPredicted,
      groupValues: column && selectValues(column, rows.holdoutIndices),
    },
  );
  return {
    enabled: true,
    level: intervals.level,
    method: intervals.method,
    groupBy: feature ?? null,
    calibration: intervals.calibration,
    calibrationRows: calibrationRows.length,
    holdoutFold: rows.holdoutFold,
    coverage: [...measured.coverage],
    variants: measured.variants.map((v) => ({
      method: v.method,
      grouped: v.grouped,
      coverage: [...v.coverage],
      crossFold: v.crossFold && [...v.crossFold],
    })),
  };
}

/**
 * The headline figures as MLflow metrics: coverage and mean width overall and per group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figures = intervalFigures({
 *   enabled: true, level: 0.9, method: "normalised", groupBy: "racepctblack",
 *   calibration: "oof-cv-without-holdout", calibrationRows: 1800, holdoutFold: 10,
 *   coverage: [
 *     { group: "all", count: 200, coverage: 0.9, meanWidth: 0.3 },
 *     { group: "q1", count: 50, coverage: 0.92, meanWidth: 0.2 },
 *   ],
 *   variants: [],
 * });
 * assert.deepEqual(figures, {
 *   interval_level: 0.9, interval_coverage: 0.9, interval_mean_width: 0.3,
 *   interval_coverage_q1: 0.92, interval_mean_width_q1: 0.2,
 * });
 * ```
 */
export function intervalFigures(report: IntervalReport): Record<string, number> {
  if (!report.enabled) return {};
  const figures: Record<string, number> = { interval_level: report.level };
  for (const c of report.coverage) {
    const suffix = c.group === "all" ? "" : `_${c.group}`;
    figures[`interval_coverage${suffix}`] = c.coverage;
    figures[`interval_mean_width${suffix}`] = c.meanWidth;
  }
  return figures;
}

/**
 * Measures a bundle's prediction intervals on rows it never saw, and compares them with
 * every variant calibrated on the same residuals: absolute or normalised scores, one
 * quantile for all rows or one per group. Coverage is reported per group of the
 * bundle's grouping for each variant, so a variant that covers on average but not
 * within a group shows it.
 *
 * @module
 */
import { bandOf, type BundleIntervals, predictionBounds } from "../bundle/prediction_intervals.ts";
import { calibrateIntervals, type CalibrationRows } from "./calibrate_intervals.ts";
import { type Coverage, intervalCoverage } from "./interval_coverage.ts";

/** One variant's measured coverage. */
export interface IntervalVariant {
  readonly method: BundleIntervals["method"];
  readonly grouped: boolean;
  /** On the test rows, calibrated on all calibration rows. */
  readonly coverage: readonly Coverage[];
  /**
   * On the calibration rows themselves, each fold's rows covered by intervals calibrated
   * on the other folds' (with `folds`): many more rows than the test fold, so a
   * steadier comparison of the variants.
   */
  readonly crossFold?: readonly Coverage[];
}

/** Calibration rows with the fold of each. */
export interface FoldedRows extends CalibrationRows {
  readonly folds?: ArrayLike<number>;
}

type Settings = Parameters<typeof calibrateIntervals>[1];

/** Leave-one-fold-out coverage of `settings` over `rows`. */
function crossFoldCoverage(
  rows: FoldedRows & { folds: ArrayLike<number> },
  settings: Settings,
  groupOf: (i: number) => string | undefined,
): Coverage[] {
  const n = rows.actual.length;
  const lower = new Float64Array(n), upper = new Float64Array(n);
  const pick = <T>(values: ArrayLike<T> | undefined, keep: number[]) =>
    values && keep.map((i) => values[i]);
  for (const fold of new Set(Array.from(rows.folds))) {
    const inside: number[] = [], outside: number[] = [];
    for (let i = 0; i < n; i++) (rows.folds[i] === fold ? inside : outside).push(i);
    const section = calibrateIntervals({
      actual: pick(rows.actual, outside)!,
      predicted: pick(rows.predicted, outside)!,
      groupValues: pick(rows.groupValues, outside),
    }, settings);
    const bounds = predictionBounds(
      section,
      pick(rows.predicted, inside)!,
      pick(rows.groupValues, inside),
    );
    inside.forEach((row, k) => {
      lower[row] = bounds.lower[k];
      upper[row] = bounds.upper[k];
    });
  }
  return intervalCoverage(rows.actual, { lower, upper }, groupOf);
}

/** The measured coverage of the bundle's intervals and of each variant. */
export interface IntervalEvaluation {
  readonly coverage: readonly Coverage[];
  readonly variants: readonly IntervalVariant[];
}

/**
 * Coverage on `test` of `intervals` and of the variants calibrated on `calibration`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrateIntervals } from "./calibrate_intervals.ts";
 *
 * const rows = (offset: number) => {
 *   const actual = Array.from({ length: 500 }, (_, i) => ((i * 37 + offset) % 100) / 100);
 *   return { actual, predicted: actual.map(() => 0.5), groupValues: actual };
 * };
 * const settings = { method: "absolute", level: 0.9, calibration: "oof-cv", range: [0, 1] } as const;
 * const intervals = calibrateIntervals(rows(0), settings);
 * const result = evaluateIntervals(intervals, rows(0), rows(13));
 * assert.ok(Math.abs(result.coverage[0].coverage - 0.9) <= 0.02);
 * assert.equal(result.variants.length, 2); // absolute and normalised, no grouping to vary
 * ```
 */
export function evaluateIntervals(
  intervals: BundleIntervals,
  calibration: FoldedRows,
  test: CalibrationRows,
): IntervalEvaluation {
  const cuts = intervals.grouping?.cuts;
  const grouper = (rows: CalibrationRows) => (i: number) =>
    cuts && rows.groupValues ? bandOf(cuts, rows.groupValues[i]) : undefined;
  const groupOf = grouper(test);
  const measure = (section: BundleIntervals) =>
    intervalCoverage(
      test.actual,
      predictionBounds(section, test.predicted, test.groupValues),
      groupOf,
    );
  const variants = (["absolute", "normalised"] as const).flatMap((method) =>
    (intervals.grouping ? [false, true] : [false]).map((grouped) => {
      const settings: Settings = {
        method,
        level: intervals.level,
        calibration: intervals.calibration,
        grouping: grouped ? intervals.grouping : undefined,
        range: intervals.range,
      };
      const folds = calibration.folds;
      return {
        method,
        grouped,
        coverage: measure(calibrateIntervals(calibration, settings)),
        ...(folds
          ? {
            crossFold: crossFoldCoverage({ ...calibration, folds }, settings, grouper(calibration)),
          }
          : {}),
      };
    })
  );
  return { coverage: measure(intervals), variants };
}

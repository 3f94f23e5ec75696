/**
 * Calibrates a bundle's prediction intervals from out-of-fold residuals: the scores
 * (absolute residuals, or residuals divided by a fitted spread), their conformal quantile
 * over all rows and, when a grouping is declared, per group (Mondrian conformal), so that
 * the coverage holds within each group and not only on average.
 *
 * @module
 */
import {
  ALL_ROWS,
  bandOf,
  type BundleIntervals,
  type IntervalGrouping,
  spreadAt,
} from "../bundle/prediction_intervals.ts";
import { conformalQuantile } from "./conformal_quantile.ts";
import { fitSpreadModel } from "./spread_model.ts";

/** The calibration rows: targets, their out-of-fold predictions and the grouping feature. */
export interface CalibrationRows {
  readonly actual: ArrayLike<number>;
  readonly predicted: ArrayLike<number>;
  /** Each row's value of the grouping feature (needed with a grouping). */
  readonly groupValues?: ArrayLike<number>;
}

/** How to calibrate. */
export interface IntervalSettings {
  readonly method: BundleIntervals["method"];
  readonly level: number;
  /** Which residuals these are, recorded in the bundle (e.g. `oof-cv`). */
  readonly calibration: string;
  readonly grouping?: IntervalGrouping;
  /** The target's range (predictions are clipped to it before scoring, as when serving). */
  readonly range: readonly [number, number];
}

/**
 * Ascending cut points of `bands` quantile bands of the finite `values` (the value at
 * each k/bands position of the sorted sample, as the evaluation's bands cut them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(quantileCuts([0.4, 0.1, 0.3, 0.2], 2), [0.3]);
 * ```
 */
export function quantileCuts(values: ArrayLike<number>, bands: number): number[] {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort();
  if (sorted.length === 0) throw new RangeError("cannot cut bands of no values");
  return Array.from(
    { length: bands - 1 },
    (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bands)],
  );
}

/**
 * The interval section of a bundle from calibration rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const actual = Array.from({ length: 99 }, (_, i) => 0.5 + (i % 2 ? 1 : -1) * (i + 1) / 1000);
 * const intervals = calibrateIntervals(
 *   { actual, predicted: actual.map(() => 0.5) },
 *   { method: "absolute", level: 0.9, calibration: "oof-cv", range: [0, 1] },
 * );
 * // Scores 0.001..0.099: the ⌈100 · 0.9⌉ = 90th smallest.
 * assert.ok(Math.abs(intervals.quantiles.all! - 0.09) < 1e-12);
 * ```
 */
export function calibrateIntervals(
  rows: CalibrationRows,
  settings: IntervalSettings,
): BundleIntervals {
  const { actual, groupValues } = rows;
  const [low, high] = settings.range;
  const predicted = Float64Array.from(rows.predicted, (y) => Math.min(high, Math.max(low, y)));
  if (actual.length !== predicted.length) {
    throw new RangeError(`${actual.length} targets but ${predicted.length} predictions`);
  }
  if (settings.grouping && groupValues?.length !== actual.length) {
    throw new RangeError("a grouped calibration needs one grouping value per row");
  }
  const residuals = Float64Array.from(predicted, (y, i) => actual[i] - y);
  const spread = settings.method === "normalised"
    ? fitSpreadModel(predicted, residuals)
    : undefined;
  const base: Omit<BundleIntervals, "quantiles" | "counts"> = {
    method: settings.method,
    level: settings.level,
    calibration: settings.calibration,
    ...(spread ? { spread } : {}),
    ...(settings.grouping ? { grouping: settings.grouping } : {}),
    range: [low, high],
  };
  const scoring = { ...base, quantiles: { [ALL_ROWS]: 0 }, counts: {} } as BundleIntervals;
  const scores = Float64Array.from(
    residuals,
    (r, i) => Math.abs(r) / spreadAt(scoring, predicted[i]),
  );
  const byGroup = new Map<string, number[]>([[ALL_ROWS, Array.from(scores)]]);
  if (settings.grouping && groupValues) {
    for (let i = 0; i < scores.length; i++) {
      const group = bandOf(settings.grouping.cuts, groupValues[i]);
      if (group === undefined) continue;
      const members = byGroup.get(group);
      if (members) members.push(scores[i]);
      else byGroup.set(group, [scores[i]]);
    }
  }
  const groups = [...byGroup.keys()].sort();
  return {
    ...base,
    quantiles: Object.fromEntries(
      groups.map((g) => [g, conformalQuantile(byGroup.get(g)!, settings.level)]),
    ),
    counts: Object.fromEntries(groups.map((g) => [g, byGroup.get(g)!.length])),
  };
}

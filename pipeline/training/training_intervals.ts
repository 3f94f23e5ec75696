/**
 * The interval section of a trained bundle: conformal quantiles of the selected model's
 * out-of-fold residuals on the bundle's own training rows (all CV folds for the served
 * bundle, all but the held-out fold for the held-out bundle), grouped by the quantile
 * band of the configured feature with cut points from the same rows.
 *
 * @module
 */
import type { BundleIntervals } from "../bundle/prediction_intervals.ts";
import type { IntervalParams } from "../config/params_schema.ts";
import { PREDICTION_RANGE } from "../bundle/prediction_range.ts";
import { selectValues } from "../core/matrix.ts";
import { calibrateIntervals, quantileCuts } from "../intervals/calibrate_intervals.ts";

/** The out-of-fold inputs of a calibration, indexed by table row. */
export interface OutOfFold {
  readonly y: Float64Array;
  /** The selected model's out-of-fold prediction of each row. */
  readonly oof: Float64Array;
  /** The grouping feature's column, when one is configured. */
  readonly groupColumn?: Float64Array;
}

/**
 * Calibrates on `rows`, or returns undefined when intervals are switched off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntervalParamsSchema } from "../config/params_schema.ts";
 *
 * const y = Float64Array.from({ length: 40 }, (_, i) => (i % 10) / 10);
 * const oof = y.map((v, i) => v + (i % 3 - 1) / 20);
 * const params = IntervalParamsSchema.parse({ method: "absolute", bands: 2 });
 * const rows = Int32Array.from({ length: 40 }, (_, i) => i);
 * const intervals = trainingIntervals(params, { y, oof, groupColumn: y }, rows, "oof-cv");
 * assert.deepEqual(intervals?.grouping, { feature: "racepctblack", cuts: [0.5] });
 * assert.deepEqual(Object.keys(intervals?.quantiles ?? {}), ["all", "q1", "q2"]);
 * ```
 */
export function trainingIntervals(
  params: IntervalParams,
  data: OutOfFold,
  rows: Int32Array,
  calibration: string,
): BundleIntervals | undefined {
  if (!params.enabled) return undefined;
  const groupValues = data.groupColumn && selectValues(data.groupColumn, rows);
  const grouping = params.group_by !== null && groupValues
    ? { feature: params.group_by, cuts: quantileCuts(groupValues, params.bands) }
    : undefined;
  return calibrateIntervals(
    { actual: selectValues(data.y, rows), predicted: selectValues(data.oof, rows), groupValues },
    { method: params.method, level: params.level, calibration, grouping, range: PREDICTION_RANGE },
  );
}

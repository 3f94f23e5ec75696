/**
 * The bundle's optional `intervals` section and how a prediction becomes an interval:
 * conformal quantiles of the calibration scores (absolute out-of-fold residuals, or
 * residuals divided by a fitted spread), one per group of a declared grouping (the
 * quantile band of one contract feature) so that coverage holds per group, and the
 * target's range to clip to. Pure, and needing only a row's own features, so the
 * server applies it to every request row exactly as the evaluation does.
 *
 * @module
 */
import { z } from "zod";

/** The key of the quantile over every calibration row (the fallback of a row in no group). */
export const ALL_ROWS = "all";

/** How a row's group is found: the quantile band of one contract feature. */
export const IntervalGroupingSchema = z.strictObject({
  /** The contract feature whose band is the group (e.g. `racepctblack`). */
  feature: z.string(),
  /** Ascending cut points from the training rows: below `cuts[0]` is `q1`, and so on. */
  cuts: z.array(z.number()).min(1),
});

/** Spread of the residuals as a function of the prediction: `max(floor, intercept + slope·ŷ)`. */
export const SpreadModelSchema = z.strictObject({
  intercept: z.number(),
  slope: z.number(),
  floor: z.number().positive(),
});

/** The `intervals` section of a bundle. */
export const BundleIntervalsSchema = z.strictObject({
  /** `absolute`: score |residual|; `normalised`: |residual| / spread(prediction). */
  method: z.enum(["absolute", "normalised"]),
  /** Nominal coverage, e.g. 0.9. */
  level: z.number().gt(0).lt(1),
  /** Which residuals calibrated it (e.g. `oof-cv`: the out-of-fold residuals of the training folds). */
  calibration: z.string(),
  spread: SpreadModelSchema.optional(),
  grouping: IntervalGroupingSchema.optional(),
  /**
   * The conformal quantile of the scores per group, and over all rows under `all`; null
   * when a group has too few rows for the level (its interval is the whole range).
   */
  quantiles: z.record(z.string(), z.number().min(0).nullable()),
  /** Calibration rows per group (and `all`). */
  counts: z.record(z.string(), z.number().int().min(0)),
  /** The target's range, which every bound is clipped to. */
  range: z.tuple([z.number(), z.number()]),
}).refine((s) => s.method !== "normalised" || s.spread !== undefined, {
  message: "a normalised interval needs its spread model",
}).refine((s) => ALL_ROWS in s.quantiles, { message: `the quantiles need an "${ALL_ROWS}" entry` });

/** A bundle's interval section. */
export type BundleIntervals = z.infer<typeof BundleIntervalsSchema>;
/** A declared grouping of rows by the band of one feature. */
export type IntervalGrouping = z.infer<typeof IntervalGroupingSchema>;
/** A fitted spread model. */
export type SpreadModel = z.infer<typeof SpreadModelSchema>;

/**
 * The band label (`q1`..`qk`) of `value` for ascending `cuts`, or undefined when the value
 * is missing. The same rule as the evaluation's quantile bands: a value equal to a cut
 * goes to the band above it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([0.1, 0.2, 0.9, NaN].map((v) => bandOf([0.2, 0.5], v)), ["q1", "q2", "q3", undefined]);
 * ```
 */
export function bandOf(cuts: readonly number[], value: number): string | undefined {
  if (Number.isNaN(value)) return undefined;
  const band = cuts.findIndex((c) => value < c);
  return `q${band < 0 ? cuts.length + 1 : band + 1}`;
}

/** The spread the normalised scores are divided by at prediction `y` (1 for `absolute`). */
export function spreadAt(intervals: BundleIntervals, y: number): number {
  const s = intervals.spread;
  if (intervals.method === "absolute" || s === undefined) return 1;
  return Math.max(s.floor, s.intercept + s.slope * y);
}

/** The interval's half-width quantile of a row in `group` (the `all` quantile when the group is unknown). */
export function groupQuantile(
  intervals: BundleIntervals,
  group: string | undefined,
): number | null {
  const q = group === undefined ? undefined : intervals.quantiles[group];
  return q === undefined ? intervals.quantiles[ALL_ROWS] : q;
}

/** Lower and upper bounds, one pair per prediction. */
export interface Bounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * The interval of each prediction: the prediction (clipped to the range) ± the quantile
 * of its group times its spread, clipped to the range. `groupValues[i]` is row i's value
 * of the grouping feature (ignored without a grouping).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BundleIntervalsSchema, predictionBounds } from "./prediction_intervals.ts";
 *
 * const intervals = BundleIntervalsSchema.parse({
 *   method: "absolute", level: 0.9, calibration: "oof-cv",
 *   grouping: { feature: "racepctblack", cuts: [0.5] },
 *   quantiles: { all: 0.2, q1: 0.1, q2: 0.3 }, counts: { all: 20, q1: 10, q2: 10 },
 *   range: [0, 1],
 * });
 * const { lower, upper } = predictionBounds(
 *   intervals, new Float64Array([0.5, 0.95]), new Float64Array([0.1, 0.9]),
 * );
 * assert.deepEqual([lower[0], upper[0]], [0.4, 0.6]); // group q1: ± 0.1
 * assert.deepEqual([lower[1], upper[1]], [0.95 - 0.3, 1]); // group q2: ± 0.3, clipped at 1
 * ```
 */
export function predictionBounds(
  intervals: BundleIntervals,
  predictions: ArrayLike<number>,
  groupValues?: ArrayLike<number>,
): Bounds {
  const n = predictions.length;
  const lower = new Float64Array(n), upper = new Float64Array(n);
  const [low, high] = intervals.range;
  const cuts = intervals.grouping?.cuts;
  for (let i = 0; i < n; i++) {
    const y = Math.min(high, Math.max(low, predictions[i]));
    const group = cuts && groupValues ? bandOf(cuts, groupValues[i]) : undefined;
    const q = groupQuantile(intervals, group);
    const half = q === null ? Infinity : q * spreadAt(intervals, y);
    lower[i] = Math.max(low, y - half);
    upper[i] = Math.min(high, y + half);
  }
  return { lower, upper };
}

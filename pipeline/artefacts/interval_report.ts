/**
 * `reports/intervals.json`, written by `evaluate`: the measured coverage and mean width
 * of the held-out bundle's prediction intervals on the held-out fold, overall and per
 * group, and the same for every interval variant (absolute or normalised, marginal or
 * per group) calibrated on the same residuals, for the comparison. Read by `register`
 * for the model card. Not a DVC metrics file: it holds tables (the headline coverage and
 * width are MLflow metrics of the evaluate run).
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

const CoverageSchema = z.strictObject({
  group: z.string(),
  count: z.number().int().min(0),
  coverage: z.number().min(0).max(1),
  meanWidth: z.number().min(0),
});

/** One interval variant's coverage. */
export const IntervalVariantSchema = z.strictObject({
  method: z.enum(["absolute", "normalised"]),
  grouped: z.boolean(),
  /** On the held-out fold. */
  coverage: z.array(CoverageSchema),
  /** On the calibration folds, each fold by intervals calibrated on the others. */
  crossFold: z.array(CoverageSchema).optional(),
});

/** The measurements of a bundle with intervals. */
export const IntervalMeasurementSchema = z.strictObject({
  enabled: z.literal(true),
  level: z.number(),
  method: z.enum(["absolute", "normalised"]),
  groupBy: z.string().nullable(),
  calibration: z.string(),
  calibrationRows: z.number().int(),
  holdoutFold: z.number().int(),
  /** The served configuration's coverage on the held-out fold (group `all` first). */
  coverage: z.array(CoverageSchema),
  variants: z.array(IntervalVariantSchema),
});

/** The interval file: the measurements, or a note that the bundle has no intervals. */
export const IntervalReportSchema = z.union([
  IntervalMeasurementSchema,
  z.strictObject({ enabled: z.literal(false) }),
]);

/** A checked interval report. */
export type IntervalReport = z.infer<typeof IntervalReportSchema>;
/** The measurements of a bundle with intervals. */
export type IntervalMeasurement = z.infer<typeof IntervalMeasurementSchema>;

/** The interval file. */
export const INTERVAL_REPORT = jsonArtefact("reports/intervals.json", IntervalReportSchema);

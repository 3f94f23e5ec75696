/**
 * The shape of the drift and data-quality report (`GET /monitoring`), the one source of
 * its types and of its OpenAPI schema.
 *
 * @module
 */
import { z } from "zod";
import { RealisedErrorSchema } from "../feedback/feedback_schema.ts";

/** One column's drift and data quality in one window. */
export const ColumnReportSchema = z.object({
  name: z.string().describe("The feature's name, or prediction."),
  method: z.enum(["ks", "wasserstein"]).describe(
    "ks (two-sample Kolmogorov-Smirnov test) for references of at most " +
      "--drift-ks-max-reference-rows rows, else wasserstein (distance / reference std).",
  ),
  score: z.number().describe("The deciding statistic: the KS p-value, or the normed distance."),
  threshold: z.number(),
  drifted: z.boolean().describe("False while the window is too small to judge."),
  ksStatistic: z.number(),
  ksPValue: z.number(),
  wassersteinNormed: z.number(),
  psi: z.number().describe("Population stability index over ten equal-width bins."),
  missingRate: z.number(),
  referenceMissingRate: z.number().describe("The missing rate in the training data."),
  outOfRangeRate: z.number().describe("Share of present values outside the training range."),
});
/** One column's drift and data quality in one window. */
export type ColumnReport = z.infer<typeof ColumnReportSchema>;

/** One window's report. */
export const WindowReportSchema = z.object({
  window: z.enum(["rows", "minutes", "period"]).describe(
    "rows and minutes: the server's windows; period: an offline report's whole period.",
  ),
  description: z.string(),
  rows: z.number().int(),
  judged: z.boolean().describe("Whether the window holds enough rows (--drift-min-rows)."),
  driftShare: z.number().describe("Share of the features that have drifted."),
  driftedFeatures: z.number().int(),
  datasetDrifted: z.boolean().describe("Whether driftShare reached --drift-share."),
  features: z.array(ColumnReportSchema).describe("Most drifted first."),
  prediction: ColumnReportSchema,
});
/** One window's report. */
export type WindowReport = z.infer<typeof WindowReportSchema>;

/** The answer of `GET /monitoring/distribution`: one column, training against now. */
export const DistributionSchema = z.object({
  name: z.string(),
  window: z.enum(["rows", "minutes", "period"]),
  centres: z.array(z.number()).describe("The centre of each histogram bin."),
  reference: z.array(z.number().int()).describe("Training rows per bin."),
  current: z.array(z.number().int()).describe("Rows of the window per bin."),
});
/** One column's training histogram against a window's. */
export type Distribution = z.infer<typeof DistributionSchema>;

/** The query of `GET /monitoring/distribution`. */
export const DistributionQuerySchema = z.strictObject({
  feature: z.string().min(1).describe("A feature's name, or prediction."),
  window: z.enum(["rows", "minutes"]).default("rows"),
});

/** The answer of `GET /monitoring`. */
export const MonitoringResponseSchema = z.object({
  modelName: z.string(),
  modelVersion: z.string(),
  settings: z.object({
    enabled: z.boolean().describe("Off (--drift off), the report has no windows."),
    windowRows: z.number().int(),
    windowMinutes: z.number().int(),
    minRows: z.number().int(),
    ksMaxReferenceRows: z.number().int(),
    ksPValue: z.number(),
    wasserstein: z.number(),
    driftShare: z.number(),
  }),
  windows: z.array(WindowReportSchema),
  realised: z.array(RealisedErrorSchema).describe(
    "Realised error of the predictions whose observed values (POST /feedback) arrived in " +
      "the last hour, day and week, by model version; empty with --feedback-store off.",
  ),
  cvRmse: z.number().nullable().describe("The served model's cross-validated RMSE."),
  rejections: z.record(z.string(), z.number().int()).describe(
    "Requests rejected by the input contract since the start, by rule (each rule counted " +
      "once per request that breaks it).",
  ),
});
/** The answer of `GET /monitoring`. */
export type MonitoringResponse = z.infer<typeof MonitoringResponseSchema>;

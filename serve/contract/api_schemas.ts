/**
 * The response schemas of the HTTP API: the documented shape of every answer and the
 * source of the OpenAPI document's response components.
 *
 * @module
 */
import { z } from "zod";
import { FeatureSpecSchema } from "../../pipeline/bundle/bundle_schema.ts";

/** The rules an input can break, one per kind of problem. */
export const ISSUE_RULES = [
  "required",
  "type",
  "not_nullable",
  "finite",
  "minimum",
  "maximum",
  "unknown_field",
  "min_items",
  "max_items",
  "invalid",
] as const;

/** One problem with a request body. */
export const InputIssueSchema = z.object({
  path: z.string().describe("Where the problem is, as a JSONPath such as $.rows[2].medIncome."),
  rule: z.enum(ISSUE_RULES).describe("Which rule the value breaks."),
  message: z.string(),
});
/** One problem with a request body. */
export type InputIssue = z.infer<typeof InputIssueSchema>;

/** Machine-readable error codes. */
export const ERROR_CODES = [
  "malformed_json",
  "invalid_input",
  "payload_too_large",
  "batch_too_large",
  "not_ready",
  "not_found",
  "method_not_allowed",
  "unsupported_media_type",
  "request_timeout",
  "over_capacity",
  "unknown_prediction",
  "feedback_conflict",
  "feedback_too_late",
  "feedback_off",
  "unauthorized",
  "forbidden_origin",
  "reload_failed",
  "explanation_unavailable",
  "internal_error",
  "intervals_unavailable",
] as const;

/** The body of every error response. */
export const ErrorResponseSchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  requestId: z.string(),
  issues: z.array(InputIssueSchema).optional().describe(
    "For invalid_input: the problems found, at most 100.",
  ),
  issueCount: z.number().int().optional().describe("For invalid_input: all problems found."),
  limit: z.number().int().optional().describe("For payload_too_large and batch_too_large."),
});
/** The body of every error response. */
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

const prediction = z.number().min(0).max(1).describe(
  "Predicted ViolentCrimesPerPop on the data set's normalised [0, 1] scale; model " +
    "outputs outside [0, 1] are clipped to it.",
);

const bound = (side: string) =>
  z.number().min(0).max(1).describe(
    `With ?interval=true: the ${side} bound of the conformal prediction interval at ` +
      "`intervalLevel`, clipped to [0, 1].",
  );
const intervalLevel = z.number().gt(0).lt(1).optional().describe(
  "With ?interval=true: the nominal coverage of the intervals (e.g. 0.9).",
);

/** The answer of `POST /predict`. */
export const PredictionResponseSchema = z.object({
  prediction,
  lower: bound("lower").optional(),
  upper: bound("upper").optional(),
  intervalLevel,
  modelName: z.string(),
  modelVersion: z.string(),
  requestId: z.string(),
});
/** The answer of `POST /predict`. */
export type PredictionResponse = z.infer<typeof PredictionResponseSchema>;

/** The answer of `POST /predict/batch`. */
export const BatchPredictionResponseSchema = z.object({
  predictions: z.array(prediction).describe("One prediction per row, in request order."),
  lower: z.array(bound("lower")).optional(),
  upper: z.array(bound("upper")).optional(),
  intervalLevel,
  count: z.number().int(),
  modelName: z.string(),
  modelVersion: z.string(),
  requestId: z.string(),
});
/** The answer of `POST /predict/batch`. */
export type BatchPredictionResponse = z.infer<typeof BatchPredictionResponseSchema>;

/** One feature's share of an explained prediction. */
export const FeatureContributionSchema = z.object({
  feature: z.string(),
  description: z.string().describe("The feature's meaning, from the data set's catalogue."),
  group: z.string(),
  value: z.number().nullable().describe("The value sent (null: missing, imputed by the model)."),
  contribution: z.number().describe(
    "How much this feature moved the model's output away from baseValue.",
  ),
  standardError: z.number().optional().describe(
    "For sampled contributions (the neural network's): the standard error of the estimate.",
  ),
});

/** The answer of `POST /explain`. */
export const ExplanationResponseSchema = z.object({
  prediction,
  modelOutput: z.number().describe(
    "The model's unclipped output: baseValue plus every feature's contribution.",
  ),
  baseValue: z.number().describe(
    "The model's output with no feature known (its training-average output).",
  ),
  contributions: z.array(FeatureContributionSchema).describe(
    "The `top` features with the largest absolute contributions, largest first.",
  ),
  otherContributions: z.number().describe("The sum of the contributions not listed."),
  modelName: z.string(),
  modelVersion: z.string(),
  requestId: z.string(),
});
/** The answer of `POST /explain`. */
export type ExplanationResponse = z.infer<typeof ExplanationResponseSchema>;

/** The answer of `POST /invocations`, as MLflow's scoring server gives it. */
export const InvocationsResponseSchema = z.object({
  predictions: z.array(prediction).describe("One prediction per row, in request order."),
});
/** The answer of `POST /invocations`. */
export type InvocationsResponse = z.infer<typeof InvocationsResponseSchema>;

/** The answer of `GET /health`. */
export const HealthResponseSchema = z.object({ status: z.literal("ok") });

/** The answer of `GET /ready`. */
export const ReadyResponseSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  modelVersion: z.string().optional(),
  reason: z.string().optional().describe("Why no model is loaded yet."),
});
/** The answer of `GET /ready`. */
export type ReadyResponse = z.infer<typeof ReadyResponseSchema>;

/** A failed load or reload. */
export const ReloadErrorSchema = z.object({ at: z.string(), message: z.string() });
/** A failed load or reload. */
export type ReloadError = z.infer<typeof ReloadErrorSchema>;

/** The answer of `GET /model/info`. */
export const ModelInfoResponseSchema = z.object({
  name: z.string(),
  version: z.string(),
  alias: z.string().nullable(),
  family: z.string(),
  origin: z.enum(["mlflow", "cache", "file", "embedded"]),
  source: z.string().describe("The model URI the server was started with."),
  location: z.string().describe("Where this bundle was read from."),
  target: z.string(),
  trainedAt: z.string(),
  trainingRows: z.number().int(),
  checksum: z.string(),
  loadedAt: z.string(),
  metrics: z.record(z.string(), z.number()),
  features: z.array(FeatureSpecSchema),
  lastReloadError: ReloadErrorSchema.nullable().describe(
    "The last failed load or reload (cleared by a successful one); the model above is still served.",
  ),
});
/** The answer of `GET /model/info`. */
export type ModelInfoResponse = z.infer<typeof ModelInfoResponseSchema>;

/** The answer of a successful `POST /admin/reload`. */
export const ReloadResponseSchema = z.object({
  status: z.enum(["reloaded", "unchanged"]),
  version: z.string(),
  previousVersion: z.string().nullable(),
});
/** The answer of a successful `POST /admin/reload`. */
export type ReloadResponse = z.infer<typeof ReloadResponseSchema>;

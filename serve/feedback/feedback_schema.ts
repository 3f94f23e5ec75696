/**
 * The shapes of `POST /feedback` and of the realised error: the one source of their
 * types and of their OpenAPI schemas.
 *
 * @module
 */
import { z } from "zod";

/** One observed value for an earlier prediction. */
export const ActualSchema = z.strictObject({
  requestId: z.string().min(1).max(128).describe(
    "The x-request-id of the prediction's response.",
  ),
  row: z.number().int().min(0).default(0).describe(
    "The row's index in its request: 0 for /predict, its position for /predict/batch.",
  ),
  actual: z.number().min(0).max(1).describe(
    "The observed ViolentCrimesPerPop, on the data set's normalised [0, 1] scale.",
  ),
});
/** One observed value for an earlier prediction. */
export type Actual = z.output<typeof ActualSchema>;

/** The body of `POST /feedback`, as far as a request body is checked. */
export function feedbackRequestSchema(maxItems: number) {
  return z.strictObject({
    actuals: z.array(ActualSchema).min(1).max(maxItems).describe(
      "Observed values; all are recorded, or none (the answer says why).",
    ),
  });
}

/** The answer of `POST /feedback`. */
export const FeedbackResponseSchema = z.object({
  accepted: z.number().int().describe("Observed values recorded by this request."),
  alreadyRecorded: z.number().int().describe(
    "Values sent again with the same value: recorded before, not counted twice.",
  ),
  requestId: z.string(),
});
/** The answer of `POST /feedback`. */
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;

/** Realised error of the predictions whose observed values arrived within one window. */
export const RealisedErrorSchema = z.object({
  window: z.enum(["1h", "24h", "7d"]),
  modelVersion: z.string(),
  pairs: z.number().int().describe("Predictions with an observed value."),
  rmse: z.number(),
  mae: z.number(),
});
/** Realised error in one window, of one model version. */
export type RealisedError = z.infer<typeof RealisedErrorSchema>;

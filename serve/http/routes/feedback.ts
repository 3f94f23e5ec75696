/**
 * `POST /feedback`: observed values for earlier predictions, named by the prediction's
 * request id (`x-request-id`) and row. All of a request's values are recorded, or none:
 * 422 for values that break the schema, 404 for rows never predicted (or pruned), 410 for
 * predictions older than the feedback window, 409 for a row that already has another
 * value. Sending the same value again is harmless (`alreadyRecorded`). 503 when the
 * server keeps no feedback (`--feedback-store off`).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { apiError } from "../api_error.ts";
import type { ErrorResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { describeIssues, jsonPath } from "../../contract/input_issues.ts";
import { limitBody } from "../middleware/body_limit.ts";
import {
  type Actual,
  feedbackRequestSchema,
  type FeedbackResponse,
} from "../../feedback/feedback_schema.ts";
import { MAX_LISTED_ROWS, rowKey, type RowRef } from "../../feedback/feedback_store.ts";

const DAY_MS = 86_400_000;

/**
 * Bytes allowed per observed value. A valid one takes under 200 (a 128-character id, a
 * row index, a number); the cap keeps a body of junk keys from costing more to parse than
 * a full batch of real values (an 8 MiB body of 700k keys held an instance 550 ms).
 */
export const FEEDBACK_BYTES_PER_VALUE = 512;

function listRows(rows: readonly RowRef[]): string {
  const shown = rows.slice(0, 5).map((r) => `${r.requestId} row ${r.row}`).join(", ");
  return rows.length > 5 ? `${shown} and ${rows.length - 5} more` : shown;
}

/** A refusal: nothing recorded, the rows in the way named and pointed at in the request. */
function refuse(
  c: Context<ServeEnv>,
  actuals: readonly Actual[],
  status: 404 | 409 | 410,
  error: ErrorResponse["error"],
  rows: readonly RowRef[],
  why: string,
): Response {
  const index = new Map(actuals.map((a, i) => [rowKey(a.requestId, a.row), i]));
  const issues = rows.slice(0, MAX_LISTED_ROWS).map((r) => ({
    path: jsonPath(["actuals", index.get(rowKey(r.requestId, r.row)) ?? 0]),
    rule: "invalid" as const,
    message: `${r.requestId} row ${r.row}: ${why}`,
  }));
  const message = `nothing recorded: ${rows.length} of the rows: ${listRows(rows)}: ${why}`;
  return apiError(c, status, error, message, { issues, issueCount: rows.length });
}

/** The feedback route. */
export function feedbackRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { limits, feedback } = deps;
  const schema = feedbackRequestSchema(limits.maxBatchRows);
  const maxBytes = Math.min(
    limits.maxBodyBytes,
    Math.max(64 * 1024, limits.maxBatchRows * FEEDBACK_BYTES_PER_VALUE),
  );
  return new Hono<ServeEnv>().post("/feedback", limitBody(maxBytes), async (c) => {
    if (!feedback) {
      const message = "this server keeps no feedback (--feedback-store off)";
      return apiError(c, 503, "feedback_off", message);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return apiError(c, 400, "malformed_json", "the request body is not valid JSON");
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const count = parsed.error.issues.length;
      return apiError(
        c,
        422,
        "invalid_input",
        `the feedback breaks its schema in ${count} place(s)`,
        {
          issues: describeIssues(parsed.error.issues, MAX_LISTED_ROWS),
          issueCount: count,
        },
      );
    }
    // Rows this instance predicted a moment ago may still be queued: write them first.
    await feedback.recorder.flush();
    const { actuals } = parsed.data;
    const outcome = await feedback.store.saveActuals(actuals, Date.now(), feedback.maxAgeMs);
    switch (outcome.kind) {
      case "unknown":
        return refuse(
          c,
          actuals,
          404,
          "unknown_prediction",
          outcome.rows,
          "not found among the predictions (never made, pruned, or made by another replica " +
            "less than a second ago)",
        );
      case "too_late": {
        const days = Math.round(feedback.maxAgeMs / DAY_MS);
        const why = `predicted more than ${days} days ago, past the feedback window`;
        return refuse(c, actuals, 410, "feedback_too_late", outcome.rows, why);
      }
      case "conflict":
        return refuse(
          c,
          actuals,
          409,
          "feedback_conflict",
          outcome.rows,
          "already has another value",
        );
      case "recorded":
        feedback.invalidate();
        return c.json(
          {
            accepted: outcome.accepted,
            alreadyRecorded: outcome.alreadyRecorded,
            requestId: c.get("requestId"),
          } satisfies FeedbackResponse,
        );
    }
  });
}

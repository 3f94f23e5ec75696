/**
 * Error responses: the same JSON shape for every failure, always with the request id
 * and never with internal details such as stack traces.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorResponse } from "../contract/api_schemas.ts";
import type { ServeEnv } from "./app_env.ts";

/** The optional parts of an error body. */
export type ErrorDetails = Pick<ErrorResponse, "issues" | "issueCount" | "limit">;

/**
 * Builds an error response.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { apiError } from "./api_error.ts";
 * import type { ServeEnv } from "./app_env.ts";
 *
 * const app = new Hono<ServeEnv>().post("/predict", async (c) => {
 *   const body = await c.req.json().catch(() => undefined);
 *   if (body === undefined) {
 *     return apiError(c, 400, "malformed_json", "the request body is not valid JSON");
 *   }
 *   return c.json({ received: true });
 * });
 * const response = await app.request("/predict", { method: "POST", body: "{" });
 * assert.equal(response.status, 400);
 * assert.equal((await response.json()).error, "malformed_json");
 * ```
 */
export function apiError(
  c: Context<ServeEnv>,
  status: ContentfulStatusCode,
  error: ErrorResponse["error"],
  message: string,
  details: ErrorDetails = {},
): Response {
  const body: ErrorResponse = { error, message, requestId: c.get("requestId"), ...details };
  return c.json(body, status);
}

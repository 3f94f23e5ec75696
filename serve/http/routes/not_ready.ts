/**
 * The 503 answer of routes that need a model while none is loaded.
 *
 * @module
 */
import type { Context } from "hono";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";
import type { ModelHolder } from "../../model/model_slot.ts";

/** Seconds a client is told to wait before retrying. */
export const RETRY_AFTER_SECONDS = 5;

/** Why no model is loaded, as one sentence. */
export function notReadyReason(slot: ModelHolder): string {
  const why = slot.lastError ? `: ${slot.lastError.message}` : " (loading)";
  return `no model is loaded yet from ${slot.sourceUri}${why}`;
}

/** Answers 503 with `Retry-After`. */
export function notReady(c: Context<ServeEnv>, slot: ModelHolder): Response {
  c.header("retry-after", `${RETRY_AFTER_SECONDS}`);
  return apiError(c, 503, "not_ready", notReadyReason(slot));
}

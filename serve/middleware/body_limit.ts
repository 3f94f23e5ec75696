/**
 * Rejects request bodies over the size limit with 413 before they are read in full;
 * the answer names the limit.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";

/**
 * Limits bodies to `maxBytes`.
 *
 * @example
 * ```ts
 * app.post("/predict", limitBody(8 << 20), handler);
 * ```
 */
export function limitBody(maxBytes: number): MiddlewareHandler<ServeEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      apiError(
        c,
        413,
        "payload_too_large",
        `the request body is larger than the server's limit of ${maxBytes} bytes`,
        { limit: maxBytes },
      ),
  });
}

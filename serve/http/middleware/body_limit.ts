/**
 * Rejects request bodies over the size limit with 413 before they are read in full;
 * the answer names the limit.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";

/**
 * Limits bodies to `maxBytes`.
 *
 * A declared `content-length` is checked without touching the body: merely reading
 * `request.body` makes Deno set up a stream, which costs more than the rest of a small
 * prediction. Only bodies of unknown length go through Hono's counting `bodyLimit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import type { ServeEnv } from "../app_env.ts";
 * import { limitBody } from "./body_limit.ts";
 *
 * const app = new Hono<ServeEnv>();
 * app.post("/predict", limitBody(16), (c) => c.json({ received: true }));
 * const small = await app.request("/predict", { method: "POST", body: "{}" });
 * assert.equal(small.status, 200);
 * const large = await app.request("/predict", { method: "POST", body: JSON.stringify({ a: "x".repeat(64) }) });
 * assert.equal(large.status, 413);
 * ```
 */
export function limitBody(maxBytes: number): MiddlewareHandler<ServeEnv> {
  const tooLarge = (c: Context<ServeEnv>) =>
    apiError(
      c,
      413,
      "payload_too_large",
      `the request body is larger than the server's limit of ${maxBytes} bytes`,
      { limit: maxBytes },
    );
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) {
      return counted(c, next);
    }
    return Number(declared) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
  };
}

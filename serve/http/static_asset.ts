/**
 * A fixed file served by the server itself (a page's library, its styles): with an ETag
 * from its content, cached by browsers for a day and revalidated, answered 304 when the
 * browser's copy is current.
 *
 * @module
 */
import type { Context } from "hono";
import { sha256Hex } from "../../pipeline/core/sha256.ts";
import type { ServeEnv } from "./app_env.ts";

/**
 * A handler serving `text` as `contentType`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { staticAsset } from "./static_asset.ts";
 *
 * const app = new Hono().get("/lib.js", staticAsset("console.log(1)", "text/javascript"));
 * const first = await app.request("/lib.js");
 * assert.equal(await first.text(), "console.log(1)");
 * const again = await app.request("/lib.js", {
 *   headers: { "if-none-match": first.headers.get("etag")! },
 * });
 * assert.equal(again.status, 304);
 * ```
 */
export function staticAsset(
  text: string,
  contentType: string,
): (c: Context<ServeEnv>) => Promise<Response> {
  const tag = sha256Hex(text).then((hex) => `"${hex.slice(0, 24)}"`);
  return async (c) => {
    const etag = await tag;
    c.header("etag", etag);
    c.header("cache-control", "public, max-age=86400");
    c.header("x-content-type-options", "nosniff");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    c.header("content-type", contentType);
    return c.body(text);
  };
}

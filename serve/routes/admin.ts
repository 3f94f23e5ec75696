/**
 * `POST /admin/reload`: fetches the source's current bundle and swaps it in. With an
 * admin token configured, the request must carry it as a bearer token.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { apiError } from "../api_error.ts";
import type { ReloadResponse } from "../api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";

function requireToken(token: string): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    const sent = /^Bearer +(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    // Compared in constant time so response timing does not reveal a matching prefix.
    if (sent !== undefined && await timingSafeEqual(token, sent)) return await next();
    c.header("www-authenticate", 'Bearer realm="admin"');
    const message = sent === undefined
      ? "this route needs the admin token as `Authorization: Bearer <token>`"
      : "the admin token is wrong";
    return apiError(c, 401, "unauthorized", message);
  };
}

/** The admin routes. */
export function adminRoutes(deps: AppDeps): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  if (deps.adminToken) app.use("/admin/*", requireToken(deps.adminToken));
  return app.post("/admin/reload", async (c) => {
    const outcome = await deps.slot.reload("admin");
    deps.peers?.requestReload("admin");
    if (outcome.status === "failed") {
      const kept = outcome.model ? `; still serving version ${outcome.model.identity.version}` : "";
      return apiError(c, 502, "reload_failed", `${outcome.error.message}${kept}`);
    }
    return c.json(
      {
        status: outcome.status,
        version: outcome.model.identity.version,
        previousVersion: outcome.status === "reloaded"
          ? outcome.previous?.identity.version ?? null
          : outcome.model.identity.version,
      } satisfies ReloadResponse,
    );
  });
}

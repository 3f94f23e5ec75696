/**
 * `POST /admin/reload`: fetches the source's current bundle and swaps it in.
 *
 * What guards it, in order:
 * - With an admin token configured (required whenever the server listens beyond
 *   loopback, see `../../config.ts`), the request must carry it as a bearer token, compared in
 *   constant time: 401 otherwise.
 * - The body must be empty or `application/json`: 415 otherwise. A web page can send a
 *   cross-origin `text/plain`, form or multipart POST without asking first; a JSON one
 *   needs a CORS preflight, which only the allowed origins pass.
 * - Without a token (loopback only), a request from a web page (it carries `Origin`) is
 *   accepted only from the CORS allow-list or from the server's own pages on a loopback
 *   address: 403 otherwise. That stops the POSTs without a body that any page, or a
 *   DNS-rebound name, could send to a local server.
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { apiError } from "../api_error.ts";
import type { ReloadResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { isLoopback } from "../../config.ts";

async function hasToken(c: Context<ServeEnv>, token: string): Promise<boolean> {
  const sent = /^Bearer +(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  // Compared in constant time (over SHA-256 digests, then the strings themselves) so that
  // response timing does not reveal a matching prefix.
  return sent !== undefined && await timingSafeEqual(token, sent);
}

/**
 * Whether the request has a body: by its declared length, else by reading until the first
 * byte (Deno gives every request a body stream, even `curl -X POST` without data).
 */
async function hasBody(c: Context<ServeEnv>): Promise<boolean> {
  const length = c.req.header("content-length");
  if (length !== undefined) return length.trim() !== "0";
  const body = c.req.raw.body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Whether the request is empty or declares JSON (parameters such as charset allowed). */
async function jsonOrEmpty(c: Context<ServeEnv>): Promise<boolean> {
  const type = c.req.header("content-type");
  if (type === undefined || type.trim() === "") return !await hasBody(c);
  return type.split(";")[0].trim().toLowerCase() === "application/json";
}

/** Whether a page of the request's `Origin`, if any, may trigger the reload. */
function originAllowed(c: Context<ServeEnv>, origins: ReadonlySet<string>): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined || origins.has(origin)) return true;
  // The server's own /docs page, opened on a loopback address: same origin, and not a
  // name that an attacker's DNS could point at this machine.
  try {
    const url = new URL(origin);
    return url.host === c.req.header("host") && isLoopback(url.hostname);
  } catch {
    return false;
  }
}

function guard(deps: AppDeps): MiddlewareHandler<ServeEnv> {
  const { adminToken } = deps;
  const origins = new Set(deps.corsOrigins ?? []);
  return async (c, next) => {
    if (adminToken !== undefined && !await hasToken(c, adminToken)) {
      c.header("www-authenticate", 'Bearer realm="admin"');
      const message = c.req.header("authorization") === undefined
        ? "this route needs the admin token as `Authorization: Bearer <token>`"
        : "the admin token is wrong";
      return apiError(c, 401, "unauthorized", message);
    }
    if (!await jsonOrEmpty(c)) {
      return apiError(
        c,
        415,
        "unsupported_media_type",
        "send no body, or content-type application/json",
      );
    }
    if (adminToken === undefined && !originAllowed(c, origins)) {
      return apiError(
        c,
        403,
        "forbidden_origin",
        "web pages of this origin may not reload the model; list it in SERVE_CORS_ORIGINS",
      );
    }
    return await next();
  };
}

/** The admin routes. */
export function adminRoutes(deps: AppDeps): Hono<ServeEnv> {
  // The guard is the route's own, so a wrong method is answered 405 before any check.
  return new Hono<ServeEnv>().post("/admin/reload", guard(deps), async (c) => {
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

/**
 * What every request goes through, in one middleware: a request id, the shutdown gate,
 * the HTTP metrics and the access log. One layer rather than four because each async
 * middleware layer costs a closure, a promise and an await per request, which showed
 * up as several per cent of a prediction's CPU time in profiles of the server.
 *
 * - Request id: a client's `x-request-id` is kept if it is at most
 *   {@linkcode MAX_REQUEST_ID_LENGTH} characters of `[A-Za-z0-9_=-]`, else replaced by a
 *   new time-ordered UUID (version 7, `../../telemetry/uuid_v7.ts`); it is echoed in `x-request-id` and
 *   available as `c.get("requestId")`.
 * - Shutdown: while draining, new requests get 503 and `connection: close`.
 * - Metrics: `http_requests_total` and `http_request_duration_seconds`, labelled by
 *   route, method and status, each from a fixed set so that no client can create series:
 *   the route is a route's pattern (a known path answered 405 or by the CORS policy keeps
 *   its path; anything else is `unmatched`), never the raw path; the method is a standard
 *   one or `OTHER` (see `../route_table.ts`); the status is one of the codes this server's
 *   own code answers with.
 * - Access log: server errors at `error`, client errors at `info`, successes at `debug`
 *   (the prediction log records those).
 *
 * @module
 */
import { uuidV7 } from "../../telemetry/uuid_v7.ts";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";
import type { Drain } from "../drain.ts";
import type { Logger, LogLevel } from "../../telemetry/logger.ts";
import { methodLabel } from "../route_table.ts";
import type { ServeMetrics } from "../../telemetry/serve_metrics.ts";

/** Longest client-sent request id that is echoed rather than replaced. */
const MAX_REQUEST_ID_LENGTH = 128;

/** The route label of requests no route matched. */
const UNMATCHED_ROUTE = "unmatched";

const REQUEST_ID = /^[\w=-]+$/;

/** What the middleware records to and checks. */
export interface RequestScopeDeps {
  readonly metrics: ServeMetrics;
  readonly logger: Logger;
  readonly drain: Drain;
  /** Whether a path is a route's path, for requests no route handler took (405, CORS). */
  readonly knownPath?: (path: string) => boolean;
}

/**
 * The middleware; register it first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import type { ServeEnv } from "../app_env.ts";
 * import { Drain } from "../drain.ts";
 * import { jsonLogger } from "../../telemetry/logger.ts";
 * import { createServeMetrics } from "../../telemetry/serve_metrics.ts";
 * import { requestScope } from "./request_scope.ts";
 *
 * const app = new Hono<ServeEnv>();
 * const metrics = createServeMetrics();
 * const logger = jsonLogger("info");
 * const drain = new Drain();
 * app.use(requestScope({ metrics, logger, drain }));
 * app.get("/health", (c) => c.json({ status: "ok" }));
 * const response = await app.request("/health", { headers: { "x-request-id": "client-42" } });
 * assert.equal(response.headers.get("x-request-id"), "client-42");
 * assert.equal(drain.inFlight, 0);
 * ```
 */
export function requestScope(deps: RequestScopeDeps): MiddlewareHandler<ServeEnv> {
  const { metrics, logger, drain } = deps;
  const knownPath = deps.knownPath ?? (() => false);
  return async (c, next) => {
    const started = performance.now();
    const id = requestId(c.req.header("x-request-id"));
    c.set("requestId", id);
    c.header("x-request-id", id);
    if (drain.enter()) {
      try {
        await next();
      } finally {
        drain.leave();
      }
    } else {
      c.header("connection", "close");
      c.res = apiError(c, 503, "not_ready", "the server is shutting down");
    }
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const labels = [routeLabel(c, knownPath), methodLabel(c.req.method), `${status}`];
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    const level: LogLevel = status >= 500 ? "error" : status >= 400 ? "info" : "debug";
    if (logger.enabled(level)) {
      logger[level]("request", {
        requestId: id,
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round(seconds * 1e6) / 1000,
      });
    }
  };
}

function requestId(sent: string | undefined): string {
  const valid = sent !== undefined && sent.length <= MAX_REQUEST_ID_LENGTH && REQUEST_ID.test(sent);
  return valid ? sent : uuidV7();
}

function routeLabel(c: Context<ServeEnv>, knownPath: (path: string) => boolean): string {
  // Middleware is registered for every method ("ALL"); a route handler has its own method.
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i].method !== "ALL") return routes[i].path;
  }
  // No handler took it, e.g. a method the path does not take: a route's path all the same.
  const path = c.req.path;
  return knownPath(path) ? path : UNMATCHED_ROUTE;
}

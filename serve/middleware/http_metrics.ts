/**
 * Counts every request and records its latency, labelled by route pattern (not raw
 * path, which would let clients create unbounded label values), method and status.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ServeEnv } from "../app_env.ts";
import type { ServeMetrics } from "../serve_metrics.ts";

/** The route label of requests no route matched. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Records `http_requests_total` and `http_request_duration_seconds`.
 *
 * @example
 * ```ts
 * app.use(httpMetrics(metrics));
 * ```
 */
export function httpMetrics(metrics: ServeMetrics): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const labels = [routeLabel(c), c.req.method, `${c.res.status}`];
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
  };
}

function routeLabel(c: Context<ServeEnv>): string {
  // Middleware is registered for every method ("ALL"); a route handler has its own method.
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i].method !== "ALL") return routes[i].path;
  }
  return UNMATCHED_ROUTE;
}

/**
 * The HTTP application: a small core of cross-cutting middleware (request id, metrics,
 * access log, error handling, the CORS policy) with each feature mounted as its own route
 * module. A known path asked with a method it does not take is answered 405 with `Allow`;
 * an unknown path 404.
 *
 * @module
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { apiError } from "./api_error.ts";
import type { AppDeps, ServeEnv } from "./app_env.ts";
import { requestScope } from "./middleware/request_scope.ts";
import { RouteTable } from "./route_table.ts";
import { adminRoutes } from "./routes/admin.ts";
import { docsRoutes } from "./routes/docs.ts";
import { explainRoutes } from "./routes/explain.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { modelInfoRoutes } from "./routes/model_info.ts";
import { monitoringRoutes } from "./routes/monitoring.ts";
import { feedbackRoutes } from "./routes/feedback.ts";
import { predictRoutes } from "./routes/predict.ts";
import { invocationsRoutes } from "./routes/invocations.ts";

/** Request headers a browser page may send cross-origin (beyond the CORS-safelisted ones). */
const CORS_REQUEST_HEADERS = ["authorization", "content-type", "x-request-id"];
/** Response headers a cross-origin page may read (beyond the CORS-safelisted ones). */
const CORS_EXPOSED_HEADERS = ["x-request-id", "x-model-version", "retry-after", "allow"];
/** Seconds a browser may cache a preflight answer. */
const CORS_MAX_AGE = 600;

/**
 * Hono's CORS middleware for the allowed `origins`, on known paths only. A request from
 * any other origin gets no CORS header at all (so its preflight fails in the browser),
 * and every response says it varies by `Origin`, so caches keep the two apart.
 */
function corsPolicy(
  origins: readonly string[],
  routes: () => RouteTable,
): MiddlewareHandler<ServeEnv> {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: (_origin, c) => [...routes().methods(c.req.path) ?? []],
    allowHeaders: CORS_REQUEST_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined && allowed.has(origin) && routes().has(c.req.path)) {
      return await handler(c, next);
    }
    await next();
    c.header("vary", "Origin", { append: true });
  };
}

/**
 * Builds the application; serve it with `Deno.serve(app.fetch)` or test it with
 * `app.request()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createApp } from "./app.ts";
 * import { Drain } from "./drain.ts";
 * import { ModelSlot } from "../model/model_slot.ts";
 * import { fileSource } from "../model/model_source_file.ts";
 * import { createServedModel } from "../model/served_model.ts";
 * import { jsonLogger } from "../telemetry/logger.ts";
 * import { DISCARD_PREDICTIONS } from "../telemetry/prediction_log.ts";
 * import { createServeMetrics } from "../telemetry/serve_metrics.ts";
 *
 * // What ../instances/instance.ts wires for real; the model is loaded by `slot.reload`.
 * const metrics = createServeMetrics();
 * const logger = jsonLogger("error");
 * const slot = new ModelSlot({
 *   source: fileSource("examples/model_bundle.json"),
 *   build: (fetched) => createServedModel(fetched, { maxBatchRows: 1000 }),
 *   logger,
 *   metrics,
 * });
 * const app = createApp({
 *   slot,
 *   metrics,
 *   logger,
 *   predictions: DISCARD_PREDICTIONS,
 *   limits: { maxBodyBytes: 8 << 20, maxBatchRows: 1000 },
 *   drain: new Drain(),
 * });
 * assert.equal((await app.request("/health")).status, 200);
 * assert.equal((await app.request("/ready")).status, 503); // no model loaded yet
 * ```
 */
export function createApp(deps: AppDeps): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  const origins = deps.corsOrigins ?? [];
  // Replaced by the full table once every route is mounted, before the first request.
  let table = new RouteTable([]);
  const routes = () => table;
  app.use(requestScope({ ...deps, knownPath: (path) => routes().has(path) }));
  if (origins.length > 0) app.use(corsPolicy(origins, routes));
  app.route("/", healthRoutes(deps));
  app.route("/", predictRoutes(deps));
  app.route("/", explainRoutes(deps));
  app.route("/", invocationsRoutes(deps));
  app.route("/", modelInfoRoutes(deps));
  app.route("/", metricsRoutes(deps));
  app.route("/", monitoringRoutes(deps));
  app.route("/", feedbackRoutes(deps));
  app.route("/", docsRoutes(deps));
  app.route("/", dashboardRoutes());
  app.route("/", adminRoutes(deps));
  table = new RouteTable(app.routes, { options: origins.length > 0 });
  app.notFound((c) => {
    const allow = routes().allow(c.req.path);
    if (allow === undefined) {
      return apiError(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}; see /docs`);
    }
    c.header("allow", allow);
    // OPTIONS outside a CORS preflight from an allowed origin: just the methods.
    if (c.req.method === "OPTIONS" && origins.length > 0) return c.body(null, 204);
    return apiError(
      c,
      405,
      "method_not_allowed",
      `${c.req.path} does not take ${c.req.method}; it takes ${allow}`,
    );
  });
  app.onError((error, c) => {
    deps.logger.error("unhandled error", {
      requestId: c.get("requestId"),
      path: c.req.path,
      error: error.message,
      stack: error.stack,
    });
    return apiError(c, 500, "internal_error", "internal error; the server log has the details");
  });
  return app;
}

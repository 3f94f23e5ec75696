/**
 * The HTTP application: a small core of cross-cutting middleware (request id, metrics,
 * access log, error handling) with each feature mounted as its own route module.
 *
 * @module
 */
import { Hono } from "hono";
import { apiError } from "./api_error.ts";
import type { AppDeps, ServeEnv } from "./app_env.ts";
import { requestScope } from "./middleware/request_scope.ts";
import { adminRoutes } from "./routes/admin.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { modelInfoRoutes } from "./routes/model_info.ts";
import { predictRoutes } from "./routes/predict.ts";

/**
 * Builds the application; serve it with `Deno.serve(app.fetch)` or test it with
 * `app.request()`.
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * const response = await app.request("/health");
 * ```
 */
export function createApp(deps: AppDeps): Hono<ServeEnv> {
  const app = new Hono<ServeEnv>();
  app.use(requestScope(deps));
  app.route("/", healthRoutes(deps));
  app.route("/", predictRoutes(deps));
  app.route("/", modelInfoRoutes(deps));
  app.route("/", metricsRoutes(deps));
  app.route("/", docsRoutes(deps));
  app.route("/", adminRoutes(deps));
  app.notFound((c) =>
    apiError(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}; see /docs`)
  );
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

/**
 * `GET /metrics` in the Prometheus text format. The model and memory gauges are read
 * when scraped, so they are always current.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from "../prometheus.ts";

/** The metrics route. */
export function metricsRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { metrics, slot } = deps;
  return new Hono<ServeEnv>().get("/metrics", (c) => {
    metrics.modelInfo.clear();
    const model = slot.model;
    if (model) {
      const { name, version, alias, origin } = model.identity;
      metrics.modelInfo.set([name, version, alias ?? "", model.bundle.family, origin], 1);
    }
    metrics.residentMemory.set([], Deno.memoryUsage().rss);
    c.header("content-type", PROMETHEUS_CONTENT_TYPE);
    return c.body(renderMetrics(metrics.all));
  });
}

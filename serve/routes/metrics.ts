/**
 * `GET /metrics` in the Prometheus text format. The model and memory gauges are read
 * when scraped, so they are always current. With several workers, the other instances'
 * series (snapshots at most a second old) are merged in: counts add up, gauges show the
 * largest value.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from "../prometheus.ts";
import { refreshGauges } from "../serve_metrics.ts";

/** The metrics route. */
export function metricsRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { metrics, slot } = deps;
  return new Hono<ServeEnv>().get("/metrics", (c) => {
    refreshGauges(metrics, slot.model);
    c.header("content-type", PROMETHEUS_CONTENT_TYPE);
    return c.body(renderMetrics(metrics.all, deps.peers?.metrics()));
  });
}

/**
 * `GET /metrics` in the Prometheus text format. The model and memory gauges are read
 * when scraped, so they are always current. With several workers, the other instances'
 * series (snapshots at most a second old) are merged in: counts add up, gauges show the
 * largest value. The drift and data-quality gauges follow, computed from every
 * instance's windows (`monitoring.ts`), then the realised error from the feedback
 * store, which every instance shares.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from "../../telemetry/prometheus.ts";
import { refreshGauges } from "../../telemetry/serve_metrics.ts";
import { driftMetrics } from "../../monitoring/drift_metrics.ts";
import { NO_PEERS } from "../peers.ts";
import { realisedOrNone, windowReports } from "./monitoring.ts";
import { realisedMetrics } from "../../feedback/realised_metrics.ts";

/** The metrics route. */
export function metricsRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { metrics, slot } = deps;
  return new Hono<ServeEnv>().get("/metrics", async (c) => {
    const model = slot.model;
    refreshGauges(metrics, model);
    c.header("content-type", PROMETHEUS_CONTENT_TYPE);
    const peers = deps.peers ?? NO_PEERS;
    // Drift gauges come from every instance's windows merged, so they are not merged again.
    const drift = model ? renderMetrics(driftMetrics(windowReports(model, peers))) : "";
    const served = model && {
      version: model.identity.version,
      cvRmse: model.bundle.metrics.cv_rmse,
    };
    const realised = deps.feedback
      ? renderMetrics(realisedMetrics(await realisedOrNone(deps), served))
      : "";
    return c.body(renderMetrics(metrics.all, peers.metrics()) + drift + realised);
  });
}

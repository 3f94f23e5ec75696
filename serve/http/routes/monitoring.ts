/**
 * `GET /monitoring`: drift and data quality of the served model's recent traffic against
 * its training reference (`../../monitoring/drift_monitor.ts`), over every instance's windows,
 * and the requests the input contract rejected, by rule. The report is computed at most
 * once a second per model; `/metrics` exports the same figures as gauges.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { NO_PEERS, type Peers } from "../peers.ts";
import type { SeriesSnapshot } from "../../telemetry/prometheus.ts";
import type { ServedModel } from "../../model/served_model.ts";
import type { ServeMetrics } from "../../telemetry/serve_metrics.ts";
import {
  type Distribution,
  DistributionQuerySchema,
  type MonitoringResponse,
  type WindowReport,
} from "../../monitoring/report_schema.ts";
import { apiError } from "../api_error.ts";
import { describeIssues } from "../../contract/input_issues.ts";
import type { RealisedError } from "../../feedback/feedback_schema.ts";
import { notReady } from "./not_ready.ts";

const REPORT_TTL_MS = 1000;
const cached = new WeakMap<ServedModel, { at: number; report: WindowReport[] }>();

/**
 * The drift report of `model`'s windows merged with those of the `peers`, computed at
 * most once per second per model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSource } from "../../model/model_source_file.ts";
 * import { createServedModel } from "../../model/served_model.ts";
 * import { NO_PEERS } from "../peers.ts";
 * import { windowReports } from "./monitoring.ts";
 *
 * const fetched = await fileSource("examples/model_bundle.json").fetch();
 * const model = createServedModel(fetched!, { maxBatchRows: 1000 });
 * const windows = windowReports(model, NO_PEERS);
 * assert.deepEqual(windows.map((w) => w.window), ["rows", "minutes"]);
 * ```
 */
export function windowReports(
  model: ServedModel,
  peers: Peers,
  nowMs = Date.now(),
): WindowReport[] {
  const hit = cached.get(model);
  if (hit && nowMs - hit.at < REPORT_TTL_MS) return hit.report;
  const report = model.monitor.report(peers.monitoring(), nowMs);
  cached.set(model, { at: nowMs, report });
  return report;
}

/** Requests rejected by rule, this instance's and the peers' counts added up. */
function rejections(metrics: ServeMetrics, peers: Peers): Record<string, number> {
  const totals: Record<string, number> = {};
  const add = (series: readonly SeriesSnapshot[]) => {
    for (const { labels: [rule], value } of series) {
      if (typeof value === "number") totals[rule] = (totals[rule] ?? 0) + value;
    }
  };
  add(metrics.inputRejections.snapshot().series);
  for (const snapshot of peers.metrics()) {
    add(snapshot.find((m) => m.name === metrics.inputRejections.name)?.series ?? []);
  }
  return totals;
}

/**
 * The realised error from the feedback store; none (and the failure logged) when the
 * store cannot answer, so that a database outage never breaks `/metrics`.
 */
export async function realisedOrNone(deps: AppDeps): Promise<RealisedError[]> {
  try {
    return await deps.feedback?.realised() ?? [];
  } catch (error) {
    deps.logger.warn("realised error unavailable", {
      store: deps.feedback?.store.description,
      error,
    });
    return [];
  }
}

/** The monitoring route. */
export function monitoringRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { slot, metrics } = deps;
  const peers = deps.peers ?? NO_PEERS;
  return new Hono<ServeEnv>().get("/monitoring/distribution", (c) => {
    const model = slot.model;
    if (!model) return notReady(c, slot);
    const query = DistributionQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const count = query.error.issues.length;
      return apiError(c, 422, "invalid_input", `the query breaks its schema in ${count} place(s)`, {
        issues: describeIssues(query.error.issues, 100),
        issueCount: count,
      });
    }
    const { feature, window } = query.data;
    const distribution = model.monitor.distribution(feature, window, peers.monitoring());
    if (!distribution) {
      return apiError(c, 404, "not_found", `no monitored feature named "${feature.slice(0, 100)}"`);
    }
    return c.json(distribution satisfies Distribution);
  }).get("/monitoring", async (c) => {
    const model = slot.model;
    if (!model) return notReady(c, slot);
    return c.json(
      {
        modelName: model.identity.name,
        modelVersion: model.identity.version,
        settings: model.monitor.settings,
        windows: windowReports(model, peers),
        rejections: rejections(metrics, peers),
        realised: await realisedOrNone(deps),
        cvRmse: model.bundle.metrics.cv_rmse ?? null,
      } satisfies MonitoringResponse,
    );
  });
}

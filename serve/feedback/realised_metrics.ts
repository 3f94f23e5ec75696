/**
 * The realised error as Prometheus gauges, beside the error the model was selected on:
 * `realised_rmse` / `realised_mae` / `realised_pairs` by window and model version, and
 * `model_cv_rmse` of the served model, so that an alert can compare the two. Every
 * instance reads the same store, so these are rendered apart from the merged metrics.
 *
 * @module
 */
import { Gauge, type Metric } from "../telemetry/prometheus.ts";
import type { RealisedError } from "./feedback_schema.ts";

/**
 * The gauges of `realised`, and the served model's CV RMSE if known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderMetrics } from "../telemetry/prometheus.ts";
 * import { realisedMetrics } from "./realised_metrics.ts";
 *
 * const realised = [{ window: "1h" as const, modelVersion: "3", pairs: 40, rmse: 0.14, mae: 0.1 }];
 * const text = renderMetrics(realisedMetrics(realised, { version: "3", cvRmse: 0.13 }));
 * assert.match(text, /^realised_rmse\{window="1h",model_version="3"\} 0\.14$/m);
 * ```
 */
export function realisedMetrics(
  realised: readonly RealisedError[],
  served?: { readonly version: string; readonly cvRmse?: number },
): Metric[] {
  const labels = ["window", "model_version"];
  const rmse = new Gauge(
    "realised_rmse",
    "RMSE of the predictions whose observed values arrived in the window.",
    labels,
  );
  const mae = new Gauge("realised_mae", "MAE of the same pairs.", labels);
  const pairs = new Gauge("realised_pairs", "Predictions with an observed value.", labels);
  const cv = new Gauge(
    "model_cv_rmse",
    "The served model's cross-validated RMSE, the error it was selected on.",
    ["model_version"],
  );
  for (const r of realised) {
    rmse.set([r.window, r.modelVersion], r.rmse);
    mae.set([r.window, r.modelVersion], r.mae);
    pairs.set([r.window, r.modelVersion], r.pairs);
  }
  if (served?.cvRmse !== undefined) cv.set([served.version], served.cvRmse);
  return [rmse, mae, pairs, cv];
}

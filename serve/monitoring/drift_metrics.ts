/**
 * The drift report as Prometheus gauges. They are computed from every instance's window
 * counts merged, at scrape time, so they are rendered apart from the per-instance metrics
 * (whose gauges would be merged by taking the largest value, which is wrong for a drift
 * score). Label values are the bundle's feature names and fixed window names, never
 * anything from a request.
 *
 * @module
 */
import { Gauge, type Metric } from "../telemetry/prometheus.ts";
import type { ColumnReport, WindowReport } from "./report_schema.ts";

/**
 * The gauges of `report` (one entry per window).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSource } from "../model/model_source_file.ts";
 * import { createServedModel } from "../model/served_model.ts";
 * import { renderMetrics } from "../telemetry/prometheus.ts";
 * import { driftMetrics } from "./drift_metrics.ts";
 *
 * const fetched = await fileSource("examples/model_bundle.json").fetch();
 * const model = createServedModel(fetched!, { maxBatchRows: 1000 });
 * const text = renderMetrics(driftMetrics(model.monitor.report()));
 * assert.match(text, /^drift_window_rows\{window="rows"\} 0$/m);
 * ```
 */
export function driftMetrics(report: readonly WindowReport[]): Metric[] {
  const feature = ["feature", "window"];
  const rows = new Gauge("drift_window_rows", "Rows in each drift window.", ["window"]);
  const share = new Gauge(
    "drift_share",
    "Share of features that have drifted, by window (0 while a window is too small to judge).",
    ["window"],
  );
  const dataset = new Gauge(
    "drift_dataset_detected",
    "1 when the share of drifted features reached the threshold, by window.",
    ["window"],
  );
  const score = new Gauge(
    "drift_score",
    "Each feature's deciding drift statistic: the KS p-value (small is drift) for small " +
      "references, else the Wasserstein distance over the reference std (large is drift).",
    feature,
  );
  const detected = new Gauge("drift_detected", "1 for a drifted feature.", feature);
  const psi = new Gauge("drift_psi", "Each feature's population stability index.", feature);
  const missing = new Gauge("data_missing_rate", "Share of missing values per feature.", feature);
  const referenceMissing = new Gauge(
    "data_reference_missing_rate",
    "Share of missing values per feature in the training data.",
    ["feature"],
  );
  const outOfRange = new Gauge(
    "data_out_of_range_rate",
    "Share of present values outside the feature's training range.",
    feature,
  );
  const prediction = ["window"];
  const predictionScore = new Gauge(
    "prediction_drift_score",
    "The prediction's deciding drift statistic (as drift_score).",
    prediction,
  );
  const predictionDetected = new Gauge(
    "prediction_drift_detected",
    "1 when the predictions have drifted.",
    prediction,
  );
  const predictionPsi = new Gauge(
    "prediction_psi",
    "The predictions' population stability index.",
    prediction,
  );
  const flag = (drifted: boolean) => drifted ? 1 : 0;
  for (const w of report) {
    rows.set([w.window], w.rows);
    share.set([w.window], w.judged ? w.driftShare : 0);
    dataset.set([w.window], flag(w.datasetDrifted));
    for (const f of w.features) {
      const labels = [f.name, w.window];
      score.set(labels, f.score);
      detected.set(labels, flag(f.drifted));
      psi.set(labels, f.psi);
      missing.set(labels, f.missingRate);
      outOfRange.set(labels, f.outOfRangeRate);
      referenceMissing.set([f.name], f.referenceMissingRate);
    }
    const p: ColumnReport = w.prediction;
    predictionScore.set([w.window], p.score);
    predictionDetected.set([w.window], flag(p.drifted));
    predictionPsi.set([w.window], p.psi);
  }
  return [
    rows,
    share,
    dataset,
    score,
    detected,
    psi,
    missing,
    referenceMissing,
    outOfRange,
    predictionScore,
    predictionDetected,
    predictionPsi,
  ];
}

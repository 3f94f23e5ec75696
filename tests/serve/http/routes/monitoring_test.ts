/**
 * `GET /monitoring`, the drift gauges of `/metrics` and `GET /monitoring/distribution`,
 * in-process: predicted rows are counted (single and batch), the answer matches its schema,
 * every label comes from the bundle, contract rejections are counted by rule, and the
 * distribution endpoint answers known features and refuses others clearly.
 */
import assert from "node:assert/strict";
import {
  DistributionSchema,
  MonitoringResponseSchema,
} from "../../../../serve/monitoring/report_schema.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("/monitoring answers 503 until a model is loaded", async () => {
  const { app } = await harness(undefined);
  const response = await app.request("/monitoring");
  assert.equal(response.status, 503);
  assert.equal((await response.json()).error, "not_ready");
});

Deno.test("/monitoring reports the predicted rows; /metrics exports them with bundle labels", async () => {
  const { app } = await harness(bundle);
  const rows = Array.from({ length: 119 }, (_, i) => randomRow(bundle, i));
  assert.equal((await postJson(app, "/predict/batch", { rows })).status, 200);
  assert.equal((await postJson(app, "/predict", randomRow(bundle, 500))).status, 200);
  // A rejected row is not predicted, so not counted; its rule is.
  const hostile = { ...randomRow(bundle, 1), 'evil"} 1\nfake_metric': 0.5 };
  assert.equal((await postJson(app, "/predict", hostile)).status, 422);

  const response = await app.request("/monitoring");
  assert.equal(response.status, 200);
  const report = MonitoringResponseSchema.parse(await response.json());
  assert.equal(report.modelVersion, bundle.checksum.slice(0, 12));
  assert.deepEqual(report.windows.map((w) => [w.window, w.rows]), [["rows", 120], [
    "minutes",
    120,
  ]]);
  assert.equal(report.settings.windowRows, 5000);
  assert.deepEqual(report.rejections, { unknown_field: 1 });
  const names = new Set(Object.keys(bundle.reference.features));
  assert.ok(report.windows[0].features.every((f) => names.has(f.name)));

  const metrics = await (await app.request("/metrics")).text();
  assert.match(metrics, /^drift_window_rows\{window="rows"\} 120$/m);
  assert.match(metrics, /^input_rejections_total\{rule="unknown_field"\} 1$/m);
  const labelled = [...metrics.matchAll(/^drift_score\{feature="([^"]*)",window="rows"\} /gm)]
    .map((m) => m[1]);
  assert.deepEqual(new Set(labelled), names, "one drift_score per reference feature");
  assert.doesNotMatch(metrics, /evil|fake_metric/);
  assert.match(metrics, /^prediction_drift_score\{window="minutes"\} [\d.e-]+$/m);
});

Deno.test("/monitoring/distribution: a feature's training and current counts, or a clear 4xx", async () => {
  const { app } = await harness(bundle);
  const rows = Array.from({ length: 30 }, (_, i) => randomRow(bundle, i));
  assert.equal((await postJson(app, "/predict/batch", { rows })).status, 200);
  const name = Object.keys(bundle.reference.features)[0];
  const response = await app.request(`/monitoring/distribution?feature=${name}&window=minutes`);
  assert.equal(response.status, 200);
  const distribution = DistributionSchema.parse(await response.json());
  assert.equal(distribution.centres.length, 101);
  assert.equal(
    distribution.reference.reduce((a, b) => a + b),
    bundle.reference.features[name].count,
  );
  const present = rows.filter((row) => row[name] !== null).length;
  assert.equal(distribution.current.reduce((a, b) => a + b), present);
  const prediction = await app.request("/monitoring/distribution?feature=prediction");
  assert.equal(
    DistributionSchema.parse(await prediction.json()).current.reduce((a, b) => a + b),
    30,
  );

  const unknown = await app.request("/monitoring/distribution?feature=nope");
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).message, /no monitored feature named "nope"/);
  const badWindow = await app.request(`/monitoring/distribution?feature=${name}&window=days`);
  assert.equal(badWindow.status, 422);
  assert.equal((await app.request("/monitoring/distribution")).status, 422);
});

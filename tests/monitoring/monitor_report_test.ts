/**
 * The offline monitoring report end to end: a real server serves the registry's champion
 * from a real MLflow server, writes its prediction log and feedback store; then
 * `deno task monitor` reads them. Its drift figures must equal the server's own
 * `/monitoring` over the same rows, its realised error the RMSE of the pairs computed
 * here; the HTML draws its charts in Chromium (when installed), and the MLflow run holds
 * the metrics and both files, linked from the registered version.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../tools/serve/smoke_test.ts";
import { ReportSummarySchema } from "../../serve/monitoring/offline_report.ts";
import { ROOT } from "../support/containers.ts";
import { startTestServer } from "../support/mlflow_server.ts";
import { registerVersion } from "../support/registry_fixtures.ts";
import { randomRow, testBundle } from "../support/test_bundle.ts";

const MODEL = "communities-crime";
const hasChromium = await Deno.stat("/usr/bin/chromium").then(() => true, () => false);

Deno.test("deno task monitor reports the period as the server saw it, and logs it to MLflow", async () => {
  const mlflow = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "monitor_report_" });
  try {
    const bundle = await testBundle();
    const version = await registerVersion(mlflow.client, MODEL, bundle, "champion");
    const log = join(dir, "predictions.jsonl");
    const store = `sqlite:${join(dir, "feedback.db")}`;
    const server = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", `models:/${MODEL}@champion`, "--prediction-log", log],
      ...["--feedback-store", store, "--cache-dir", join(dir, "cache")],
      ...["--mlflow-uri", mlflow.uri, "--drift-min-rows", "50"],
    ]);
    // The server listens at once and loads the champion from MLflow meanwhile.
    await waitUntilReady(server.url, 30_000);
    let served;
    const pairs: { prediction: number; actual: number }[] = [];
    try {
      // 150 rows, the first 10 features shifted up, then feedback for 60 of them.
      const rows = Array.from(
        { length: 150 },
        (_, i) =>
          Object.fromEntries(
            Object.entries(randomRow(bundle, i)).map(([name, value], j) => [
              name,
              value !== null && j < 10 ? Math.min(1, value + 0.25) : value,
            ]),
          ),
      );
      const answer = await (await fetch(`${server.url}/predict/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rows }),
      })).json();
      const actuals = answer.predictions.slice(0, 60).map((p: number, row: number) => {
        const actual = Math.round(Math.min(1, p + (row % 3) * 0.04) * 1e4) / 1e4;
        pairs.push({ prediction: p, actual });
        return { requestId: answer.requestId, row, actual };
      });
      const feedback = await fetch(`${server.url}/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ actuals }),
      });
      assert.equal(feedback.status, 200, await feedback.text());
      await new Promise((resolve) => setTimeout(resolve, 1100));
      served = (await (await fetch(`${server.url}/monitoring`)).json()).windows[0];
    } finally {
      assert.equal((await server.stop()).code, 0);
    }

    const out = join(dir, "report");
    const [deno, ...args] = [Deno.execPath(), "task", "monitor"];
    const run = await runCommand(deno, [
      ...args,
      "--log",
      log,
      "--store",
      store,
      "--out",
      out,
      "--hours",
      "1",
    ], {
      cwd: ROOT,
      env: { MLFLOW_TRACKING_URI: mlflow.uri, NO_COLOR: "1" },
      timeoutMs: 120_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const summary = ReportSummarySchema.parse(
      JSON.parse(await Deno.readTextFile(join(out, "summary.json"))),
    );
    assert.equal(summary.modelVersion, version);
    assert.equal(summary.rows, 150);
    assert.equal(summary.unreadableLines, 0);
    // The server's row window held the same 150 rows: the same statistics.
    assert.equal(served.rows, 150);
    assert.equal(summary.driftedFeatures, served.driftedFeatures);
    assert.equal(summary.driftShare, served.driftShare);
    assert.ok(summary.datasetDrifted && summary.driftedFeatures >= 10);
    const rmse = Math.sqrt(
      pairs.reduce((s, p) => s + (p.actual - p.prediction) ** 2, 0) / pairs.length,
    );
    assert.equal(summary.pairs, 60);
    assert.ok(Math.abs(summary.realisedRmse! - rmse) < 1e-12, `${summary.realisedRmse} vs ${rmse}`);

    const html = await Deno.readTextFile(join(out, "report.html"));
    assert.match(html, /<td>\d+ of 20 features/);
    assert.doesNotMatch(html, /<script src=/, "plotly is inlined");
    if (hasChromium) {
      const dom = await runCommand("/usr/bin/chromium", [
        ...["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000"],
        "--dump-dom",
        `file://${join(out, "report.html")}`,
      ], { timeoutMs: 90_000 });
      assert.match(dom.stdout, /<body[^>]*data-charts="true"/, "the charts are drawn");
      assert.ok([...dom.stdout.matchAll(/class="main-svg"/g)].length >= 8);
    } else {console.error(
        "report drawing not checked: /usr/bin/chromium is missing (Debian package chromium)",
      );}

    // The MLflow run, and the registered version pointing at it.
    const experiment = await mlflow.client.tracking.getExperimentByName(
      "communities-crime-monitoring",
    );
    assert.ok(experiment, "the monitoring experiment");
    const tagged = await mlflow.client.registry.getModelVersion(MODEL, version);
    const runId = tagged.tags["monitoring.last_run_id"];
    assert.ok(runId, "the version links to its report's run");
    const logged = await mlflow.client.tracking.getRun(runId);
    const metrics = logged.data.metrics;
    assert.equal(metrics.rows, 150);
    assert.equal(metrics.drifted_features, summary.driftedFeatures);
    assert.ok(Math.abs(metrics.realised_rmse - rmse) < 1e-12);
    assert.equal(logged.info.status, "FINISHED");
    assert.equal(experiment.tags["mlflow.experimentKind"], "custom_model_development");
    assert.equal(logged.data.tags["mlflow.source.name"], "tools/monitoring/monitor.ts");
    assert.match(logged.data.tags["mlflow.source.type"], /^(LOCAL|JOB)$/);
    const artifacts = (await mlflow.client.artifacts.list(logged.info.artifact_uri)).map((f) =>
      f.path
    ).sort();
    assert.deepEqual(artifacts, ["report.html", "summary.json"]);
  } finally {
    await mlflow.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the monitor names what it cannot read, with no stack trace", async () => {
  const run = await runCommand(Deno.execPath(), [
    ...["task", "monitor", "--model", "/nonexistent/bundle.json", "--no-mlflow", "--hours", "x"],
  ], { cwd: ROOT, env: { NO_COLOR: "1" } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /monitor: --hours must be a positive number of hours, got "x"/);
  const missing = await runCommand(Deno.execPath(), [
    ...["task", "monitor", "--model", "/nonexistent/bundle.json", "--no-mlflow"],
  ], { cwd: ROOT, env: { NO_COLOR: "1" } });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /monitor: cannot load the model \/nonexistent\/bundle.json/);
  assert.doesNotMatch(missing.stderr, /\bat .*\.ts:\d+/);
});

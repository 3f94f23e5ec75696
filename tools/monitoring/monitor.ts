/**
 * The offline monitoring report: reads a period of the prediction server's log (its
 * rotated files too) and of its feedback store, compares the period's rows with the
 * model's training reference using the server's own drift statistics, and writes
 * `report.html` (plotly charts, inlined) and `summary.json` to the `monitor` section's
 * `out_dir`. Then it logs both to MLflow as a run of the `experiment`, tagged with the
 * model version, and tags that registered version with the run, so the registry page
 * links to its latest report.
 *
 * Usage: `deno task monitor [--hours 24] [--until <ISO time>] [--log <path>]
 * [--store <sqlite:path|postgresql://...|off>] [--model <models:/...|bundle path>]
 * [--out <dir>] [--no-mlflow]`; the defaults come from `config/params.yaml` (`monitor`),
 * the tracking server from MLFLOW_TRACKING_URI (default http://127.0.0.1:5000). A DVC
 * invocation is `dvc repro monitoring/dvc.yaml`.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadParams } from "../../pipeline/config/load_params.ts";
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { redactUri } from "../../pipeline/mlflow/redact_uri.ts";
import { TRAINING_EXPERIMENT_TAGS } from "../../pipeline/mlflow/system_tags.ts";
import { runSystemTags } from "../../pipeline/stage_support/run_source.ts";
import { PLOTLY_SCRIPT } from "../../serve/http/dashboard/dashboard_page.ts";
import { openStore } from "../../serve/feedback/feedback_service.ts";
import type { Pair } from "../../serve/feedback/feedback_store.ts";
import {
  DEFAULT_DRIFT_SETTINGS,
  DriftMonitor,
  severity,
} from "../../serve/monitoring/drift_monitor.ts";
import {
  errorOverTime,
  type OfflineReport,
  realisedError,
  type ReportSummary,
} from "../../serve/monitoring/offline_report.ts";
import { reportHtml } from "../../serve/monitoring/report_html.ts";
import type { Distribution } from "../../serve/monitoring/report_schema.ts";
import { openModelSource } from "../../serve/model/open_model_source.ts";
import { logFiles, readPredictionLog } from "../../serve/telemetry/prediction_log_reader.ts";
import { createServedModel } from "../../serve/model/served_model.ts";

const HOUR_MS = 3_600_000;
/** Distributions shown: the most drifted features. */
const SHOWN_DISTRIBUTIONS = 6;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    hours: { type: "string" },
    until: { type: "string" },
    log: { type: "string" },
    store: { type: "string" },
    model: { type: "string" },
    out: { type: "string" },
    "no-mlflow": { type: "boolean", default: false },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`monitor: ${message}`);
  Deno.exit(2);
}

const params = await loadParams("monitor").catch((error) => fail((error as Error).message));
const hours = values.hours === undefined ? params.period_hours : Number(values.hours);
if (!(hours > 0)) fail(`--hours must be a positive number of hours, got "${values.hours}"`);
const untilMs = values.until === undefined ? Date.now() : Date.parse(values.until);
if (Number.isNaN(untilMs)) fail(`--until must be an ISO time, got "${values.until}"`);
const sinceMs = untilMs - hours * HOUR_MS;
const logPath = values.log ?? params.prediction_log;
const storeLocation = values.store ?? params.feedback_store;
const outDir = values.out ?? params.out_dir;
const mlflowUri = Deno.env.get("MLFLOW_TRACKING_URI") ?? "http://127.0.0.1:5000";

// The model the traffic is compared with.
const modelUri = values.model ?? params.model;
const fetched = await openModelSource(modelUri, {
  mlflowUri,
  cacheDir: join(outDir, ".model-cache"),
}).fetch().catch((error) => fail(`cannot load the model ${modelUri}: ${(error as Error).message}`));
if (!fetched) fail(`the model source ${modelUri} gave no bundle`);
const model = createServedModel(fetched, { maxBatchRows: 1 });
const { name: modelName, version: modelVersion } = fetched.identity;
const { drift } = params;
const monitor = new DriftMonitor(fetched.bundle, {
  ...DEFAULT_DRIFT_SETTINGS,
  minRows: drift.min_rows,
  ksMaxReferenceRows: drift.ks_max_reference_rows,
  ksPValue: drift.ks_p_value,
  wasserstein: drift.wasserstein,
  driftShare: drift.drift_share,
  // The report counts every row of the period itself: the server's windows stay unused.
  windowRows: 1,
  windowMinutes: 1,
});

// Every row of the period, from the oldest rotated file to the current one.
const files = await logFiles(logPath);
if (files.length === 0) console.error(`monitor: no prediction log at ${logPath}: no rows`);
const tally = monitor.newTally();
const x = new Float64Array(model.featureCount);
const y = new Float64Array(1);
let unreadable = 0, otherVersions = 0;
for (const file of files) {
  const log = readPredictionLog(file);
  for await (const row of log) {
    const at = Date.parse(row.time);
    if (!(at >= sinceMs && at < untilMs)) continue;
    if (row.modelVersion !== modelVersion) {
      otherVersions++;
      continue;
    }
    if (!model.packRow(row.inputs, x, 0) || typeof row.prediction !== "number") {
      unreadable++;
      continue;
    }
    y[0] = row.prediction;
    tally.addRows(monitor.encode(x, 1, y), 1);
  }
  unreadable += log.invalidLines;
}

// The observed values that arrived in the period, for this model version.
let pairs: Pair[] = [];
if (storeLocation !== "off") {
  const store = await openStore(storeLocation).catch((error) =>
    fail(`cannot open the feedback store: ${(error as Error).message}`)
  );
  try {
    pairs = (await store.pairsBetween(sinceMs, untilMs)).filter((p) =>
      p.modelVersion === modelVersion
    );
  } finally {
    await store.close();
  }
}

const since = new Date(sinceMs).toISOString(), until = new Date(untilMs).toISOString();
const window = monitor.reportOf("period", `${since} to ${until}`, tally.snapshot());
const mostDrifted = [...window.features].sort((a, b) => severity(b) - severity(a))
  .slice(0, SHOWN_DISTRIBUTIONS).map((f) => f.name);
const distributions = [...mostDrifted, "prediction"]
  .map((name) => monitor.distributionOf(name, "period", tally.snapshot()))
  .filter((d): d is Distribution => d !== undefined);
const { rmse, mae } = realisedError(pairs);
const summary: ReportSummary = {
  modelName,
  modelVersion,
  since,
  until,
  rows: tally.rows,
  rowsOfOtherVersions: otherVersions,
  judged: window.judged,
  driftShare: window.driftShare,
  driftedFeatures: window.driftedFeatures,
  datasetDrifted: window.datasetDrifted,
  predictionDriftScore: window.prediction.score,
  predictionDrifted: window.prediction.drifted,
  pairs: pairs.length,
  realisedRmse: rmse,
  realisedMae: mae,
  cvRmse: fetched.bundle.metrics.cv_rmse ?? null,
  unreadableLines: unreadable,
};
const report: OfflineReport = {
  summary,
  window,
  distributions,
  errorOverTime: errorOverTime(pairs, HOUR_MS),
};
await Deno.mkdir(outDir, { recursive: true });
const htmlPath = join(outDir, "report.html");
const summaryPath = join(outDir, "summary.json");
await Deno.writeTextFile(htmlPath, reportHtml(report, PLOTLY_SCRIPT));
await Deno.writeTextFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
console.error(
  `monitor: ${summary.rows} rows, ${summary.driftedFeatures} drifted features ` +
    `(data set ${summary.datasetDrifted ? "drifted" : "stable"}), ${summary.pairs} pairs; ` +
    `wrote ${htmlPath} and ${summaryPath}`,
);

if (!values["no-mlflow"]) {
  const client = new MlflowClient(mlflowUri);
  try {
    const experiment = await client.tracking.getOrCreateExperiment(
      params.experiment,
      TRAINING_EXPERIMENT_TAGS,
    );
    const run = await client.tracking.createRun({
      experimentId: experiment.experiment_id,
      runName: `monitor ${modelName} v${modelVersion} ${since.slice(0, 16)}`,
      tags: {
        ...runSystemTags(),
        "monitor.model_name": modelName,
        "monitor.model_version": modelVersion,
      },
    });
    const runId = run.info.run_id;
    const metric = (key: string, value: number | null | boolean) =>
      value === null ? [] : [{ key, value: Number(value), timestamp: untilMs }];
    await client.tracking.logBatch(runId, {
      params: {
        since,
        until,
        hours,
        model: modelUri,
        prediction_log: logPath,
        feedback_store: storeLocation === "off" ? "off" : redactUri(storeLocation),
      },
      metrics: [
        ...metric("rows", summary.rows),
        ...metric("drift_share", summary.driftShare),
        ...metric("drifted_features", summary.driftedFeatures),
        ...metric("dataset_drifted", summary.datasetDrifted),
        ...metric("prediction_drift_score", summary.predictionDriftScore),
        ...metric("pairs", summary.pairs),
        ...metric("realised_rmse", summary.realisedRmse),
        ...metric("realised_mae", summary.realisedMae),
        ...metric("cv_rmse", summary.cvRmse),
        ...metric("unreadable_lines", summary.unreadableLines),
      ],
    });
    await client.artifacts.uploadFile(run.info.artifact_uri, "report.html", htmlPath);
    await client.artifacts.uploadFile(run.info.artifact_uri, "summary.json", summaryPath);
    await client.tracking.terminateRun(runId);
    if (fetched.identity.origin === "mlflow" || fetched.identity.origin === "cache") {
      await client.registry.setModelVersionTag(
        modelName,
        modelVersion,
        "monitoring.last_run_id",
        runId,
      );
    }
    console.error(`monitor: logged to MLflow run ${runId} in ${params.experiment}`);
  } catch (error) {
    fail(
      `the report is written, but logging it to MLflow at ${redactUri(mlflowUri)} failed: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * The W&B tracker beside the MLflow one on a real small training (a few candidates on the
 * project's data, its 10 folds): the offline W&B runs, read back from their .wandb files,
 * hold the params, metrics and summary the MLflow runs hold. The real SDK runs offline,
 * its directory in a temporary folder; nothing is uploaded (W&B's service is not
 * reachable here). Skipped, saying why, when the Python named by CRIME_WANDB_PYTHON (by
 * default the project's virtualenv) has no `wandb` package.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import type { MlflowClient } from "../../pipeline/mlflow/client.ts";
import type { Run } from "../../pipeline/mlflow/schemas.ts";
import { FOLD, TARGET } from "../../pipeline/data/catalogue.ts";
import { loadRaw } from "../../pipeline/data/load_raw.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { fanOutTracker } from "../../pipeline/training/fan_out_tracker.ts";
import { mlflowTracker } from "../../pipeline/training/mlflow_tracker.ts";
import { fitSelected } from "../../pipeline/training/fit_selected.ts";
import type { Selection } from "../../pipeline/training/select_model.ts";
import { trainSelected } from "../../pipeline/training/train_selected.ts";
import { wandbPython } from "../../pipeline/training/wandb_settings.ts";
import { wandbTracker } from "../../pipeline/training/wandb_tracker.ts";
import { runCommand } from "../../tools/run_command.ts";
import { startTestServer } from "../support/mlflow_server.ts";

const READER = new URL("../support/read_wandb_run.py", import.meta.url).pathname;
const python = wandbPython();
const probe = await runCommand(python, ["-c", "import wandb"]).catch((e: Error) => ({
  code: 1,
  stderr: e.message,
}));
const skip = probe.code === 0
  ? undefined
  : `no wandb package for ${python} (make setup installs it; or set CRIME_WANDB_PYTHON): ${
    probe.stderr.trim().split("\n").at(-1)
  }`;
if (skip) console.error(`W&B tracker tests skipped: ${skip}`);

/** An offline run as tests/support/read_wandb_run.py reads it. */
interface OfflineRun {
  name: string;
  group: string;
  job_type: string;
  project: string;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  history: { step: number; values: Record<string, number> }[];
  exit_code: number | null;
}

/** The first `count` features with no missing value, the target and the folds. */
async function realData(count: number): Promise<TrainingData> {
  const { columns, table } = await loadRaw();
  const features = columns.filter((c) => c.role === "feature")
    .map((c) => c.name)
    .filter((name) => !table.numbers.get(name)!.some(Number.isNaN))
    .slice(0, count);
  const x = matrix(table.rowCount, features.length);
  features.forEach((name, j) =>
    table.numbers.get(name)!.forEach((v, i) => x.data[i * features.length + j] = v)
  );
  return {
    x,
    y: table.numbers.get(TARGET)!,
    folds: table.numbers.get(FOLD)!,
    spec: { inputFeatures: features, indicators: [], interactions: [] },
  };
}

/** Sets environment variables for the test's span and says how to restore them. */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  };
}

/** Training's runs, to MLflow under a parent run and to W&B in the group of its id. */
async function bothTrackers(client: MlflowClient, experimentId: string) {
  const parent = await client.tracking.createRun({ experimentId });
  const group = parent.info.run_id;
  const notices: string[] = [];
  const wandb = wandbTracker({
    settings: { project: "crime-test", mode: "offline", python },
    group,
    notice: (line) => notices.push(line),
  });
  const tracker = fanOutTracker([mlflowTracker(client, experimentId, group), wandb]);
  /** Closes W&B and returns the MLflow runs and the offline W&B runs read back. */
  const finish = async () => {
    const recorded = await wandb.close();
    assert.equal(notices.length, 1, notices.join("\n"));
    assert.match(notices[0], /^W&B: \d+ offline runs in .*wandb sync/);
    const read = await runCommand(python, [READER, ...recorded.map((r) => r.file)]);
    assert.equal(read.code, 0, read.stderr);
    const mlflowRuns = (await client.tracking.searchRuns({ experimentIds: [experimentId] }))
      .filter((r) => r.data.tags["mlflow.parentRunId"] !== undefined);
    return { mlflowRuns, offline: JSON.parse(read.stdout) as OfflineRun[] };
  };
  return { group, tracker, finish };
}

/**
 * Asserts that `offline` has one W&B run per MLflow run, by name, each in `group` with
 * the MLflow run's params and tags as config, its metrics logged once at step 0 as
 * summary and its metrics by step as history, nothing more.
 */
async function assertSameRuns(
  client: MlflowClient,
  group: string,
  mlflowRuns: readonly Run[],
  offline: readonly OfflineRun[],
): Promise<void> {
  const names = offline.map((r) => r.name).sort();
  assert.deepEqual(names, mlflowRuns.map((r) => r.info.run_name).sort());
  assert.equal(new Set(names).size, names.length);
  for (const run of mlflowRuns) {
    const name = run.info.run_name;
    const wb = offline.find((r) => r.name === name)!;
    assert.equal(wb.group, group, name);
    assert.equal(wb.project, "crime-test", name);
    assert.equal(wb.exit_code, 0, name);
    const tags = Object.fromEntries(
      Object.entries(run.data.tags).filter(([k]) => !k.startsWith("mlflow.")),
    );
    assert.deepEqual(wb.config, { ...run.data.params, ...tags }, `${name}: config`);
    const summary: Record<string, number> = {};
    const history = new Map<number, Record<string, number>>();
    for (const key of Object.keys(run.data.metrics)) {
      const points = await client.tracking.getMetricHistory(run.info.run_id, key);
      if (points.length === 1 && points[0].step === 0) summary[key] = points[0].value;
      else {
        for (const p of points) history.set(p.step, { ...history.get(p.step), [key]: p.value });
      }
    }
    assert.deepEqual(wb.summary, summary, `${name}: summary`);
    assert.deepEqual(
      wb.history,
      [...history].sort(([a], [b]) => a - b).map(([step, values]) => ({ step, values })),
      `${name}: history`,
    );
  }
}

Deno.test({
  name: "offline W&B runs hold the params, metrics and summary of the MLflow runs",
  ignore: skip !== undefined,
  async fn(t) {
    const server = await startTestServer();
    const wandbDir = await Deno.makeTempDir({ prefix: "wandb_test_" });
    // Offline, and with a server address nothing answers on: no byte can leave.
    const restore = setEnv({ WANDB_DIR: wandbDir, WANDB_BASE_URL: "http://127.0.0.1:9" });
    try {
      const { client } = server;
      const experiment = await client.tracking.getOrCreateExperiment("wandb-beside-mlflow");
      const data = await realData(12);
      const params = TrainParamsSchema.parse({
        candidates: [
          { family: "mean" },
          { family: "ridge", grid: { alpha: [0.1, 3, 100] } },
          { family: "ols" },
        ],
        ensemble: { enabled: true, top_k: 2 },
      });
      const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };
      let selection: Selection | undefined;

      await t.step("as the train stage records them", async () => {
        const { group, tracker, finish } = await bothTrackers(client, experiment.experiment_id);
        const trained = await trainSelected(params, data, split, tracker, () => {});
        selection = trained.selection;
        const { mlflowRuns, offline } = await finish();
        await assertSameRuns(client, group, mlflowRuns, offline);
        const names = offline.map((r) => r.name);
        assert.ok(names.includes(`final: ${selection.best.name}`), names.join(", "));
        assert.ok(names.some((n) => / trial \d+$/.test(n)), "no tuning trial was recorded");
        const ridge = offline.find((r) => r.name === "ridge")!;
        assert.equal(ridge.job_type, "candidate");
        assert.equal(ridge.summary.cv_rmse, selection.summaries.ridge.rmse);
        // A candidate is cross-validated on the development folds: the CV folds but the held-out one.
        const devFolds = split.cvFolds.filter((f) => f !== split.holdoutFold);
        assert.deepEqual(ridge.history.map((h) => h.step), devFolds);
      });

      await t.step("an ensemble's final fit, with its members' trials", async () => {
        const experimentId = (await client.tracking.getOrCreateExperiment("wandb-ensemble"))
          .experiment_id;
        const { group, tracker, finish } = await bothTrackers(client, experimentId);
        const ensemble = selection!.results.find((r) => r.name === "ensemble")!;
        const rows = Int32Array.from(data.folds.keys());
        const fitted = await fitSelected({ ...selection!, best: ensemble }, params, data, rows);
        await tracker.final("ensemble", fitted, selection!.summaries.ensemble);
        const { mlflowRuns, offline } = await finish();
        await assertSameRuns(client, group, mlflowRuns, offline);
        const kinds = Object.fromEntries(offline.map((r) => [r.name, r.job_type]));
        assert.equal(kinds["final: ensemble"], "final");
        assert.equal(kinds["final: ridge"], "member");
        assert.equal(kinds["ridge trial 3"], "trial");
      });
    } finally {
      restore();
      await server.stop();
      await Deno.remove(wandbDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a W&B failure is one notice and training goes on",
  ignore: skip !== undefined,
  async fn() {
    const wandbDir = await Deno.makeTempDir({ prefix: "wandb_test_" });
    const restore = setEnv({ WANDB_DIR: wandbDir });
    try {
      const notices: string[] = [];
      // A mode the SDK refuses: it fails in the SDK, after the process started.
      const wandb = wandbTracker({
        settings: { project: "crime-test", mode: "no-such-mode", python },
        group: "g",
        notice: (line) => notices.push(line),
      });
      const params = TrainParamsSchema.parse({
        candidates: [{ family: "mean" }, { family: "ols" }],
        ensemble: { enabled: false },
      });
      const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };
      const trained = await trainSelected(params, await realData(4), split, wandb, () => {});
      assert.ok(trained.summary.rmse > 0);
      assert.deepEqual(await wandb.close(), []);
      assert.equal(notices.length, 1, notices.join("\n"));
      assert.match(
        notices[0],
        /^W&B: no runs recorded \(training goes on\): ValidationError.*mode/,
      );
      assert.doesNotMatch(notices[0], /Traceback|\n/);
    } finally {
      restore();
      await Deno.remove(wandbDir, { recursive: true });
    }
  },
});

Deno.test("without the W&B SDK's Python the tracker records nothing and says so once", async () => {
  for (const missing of [join(Deno.cwd(), "no-such-python"), "/bin/false"]) {
    const notices: string[] = [];
    const wandb = wandbTracker({
      settings: { project: "crime-test", mode: "offline", python: missing },
      group: "g",
      notice: (line) => notices.push(line),
    });
    const params = TrainParamsSchema.parse({
      candidates: [{ family: "mean" }],
      ensemble: { enabled: false },
    });
    const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };
    await trainSelected(params, await realData(2), split, wandb, () => {});
    assert.deepEqual(await wandb.close(), []);
    assert.equal(notices.length, 1, notices.join("\n"));
    assert.match(notices[0], /^W&B: no runs recorded \(training goes on\): \S/);
  }
});

Deno.test("a W&B process that hangs is stopped at close, and training is not held up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wandb_hang_" });
  try {
    // Stands in for a Python whose SDK never answers: it reads nothing and never ends.
    const python = join(dir, "python");
    await Deno.writeTextFile(python, "#!/bin/sh\nexec sleep 60\n", { mode: 0o755 });
    const notices: string[] = [];
    const wandb = wandbTracker({
      settings: { project: "crime-test", mode: "offline", python },
      group: "g",
      notice: (line) => notices.push(line),
      closeTimeoutMs: 500,
    });
    const params = TrainParamsSchema.parse({
      candidates: [{ family: "mean" }, { family: "ols" }],
      ensemble: { enabled: false },
    });
    const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };
    await trainSelected(params, await realData(2), split, wandb, () => {});
    assert.deepEqual(await wandb.close(), []);
    assert.deepEqual(notices, [
      "W&B: no runs recorded (training goes on): the W&B SDK had not finished after 0.5 s " +
      "and was stopped",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

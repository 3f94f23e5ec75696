/**
 * The runs the training and evaluation stages create, on a real MLflow server, as a user
 * reads them in the UI: the experiment opens on the model-training view; every run
 * carries MLflow's system tags; candidates' hyper-parameters are params of their own;
 * the parent and its children name the same figure alike.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";
import { TRAINING_EXPERIMENT_TAGS } from "../../pipeline/mlflow/system_tags.ts";
import type { Run } from "../../pipeline/mlflow/client.ts";
import { recordEvaluation } from "../../pipeline/report/mlflow_evaluation_run.ts";
import { currentProcess } from "../../pipeline/stage_support/process_identity.ts";
import { gitState } from "../../pipeline/stage_support/git_state.ts";
import { underCi } from "../../pipeline/stage_support/run_source.ts";
import { StageRuns } from "../../pipeline/stage_support/stage_runs.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { fitSelected } from "../../pipeline/training/fit_selected.ts";
import { mlflowTracker } from "../../pipeline/training/mlflow_tracker.ts";
import {
  openTrainingRun,
  recordTrainingOutcome,
} from "../../pipeline/training/mlflow_training_run.ts";
import { selectModel } from "../../pipeline/training/select_model.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";
import { startTestServer } from "../support/mlflow_server.ts";

const ALPHAS = [0.01, 1, 100];

Deno.test("training and evaluation runs carry MLflow's tags, params and metric names", async () => {
  const server = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "training_run_test_" });
  try {
    const { client } = server;
    const experiment = await client.tracking.getOrCreateExperiment(
      "training-run-test",
      TRAINING_EXPERIMENT_TAGS,
    );
    const read = await client.tracking.getExperimentByName("training-run-test");
    assert.equal(read?.tags["mlflow.experimentKind"], "custom_model_development");

    const runs = new StageRuns(client);
    const x = uniformMatrix(90, 2, 3);
    const folds = Float64Array.from({ length: 90 }, (_, i) => (i % 3) + 1);
    const data: TrainingData = {
      x,
      y: linearTarget(x, [0.4, 0.2], 0.1, 0.02, 5),
      folds,
      spec: { inputFeatures: ["a", "b"], indicators: [], interactions: [] },
    };
    const params = TrainParamsSchema.parse({
      candidates: [{ family: "mean" }, { family: "ridge", grid: { alpha: ALPHAS } }],
      ensemble: { enabled: false },
    });
    const run = await openTrainingRun(client, runs, {
      experimentId: experiment.experiment_id,
      params,
      provenance: { gitCommit: "abc", dataHash: "d".repeat(64), paramsHash: "p".repeat(64) },
      dataSource: "data/raw/communities.data",
      rows: 90,
      features: 2,
      split: { cvFolds: [1, 2, 3], holdoutFold: 3 },
    });
    const tracker = mlflowTracker(client, experiment.experiment_id, run.runId, runs);
    const splits = foldSplits(folds, [1, 2, 3]);
    const selection = await selectModel(params, data, splits, tracker, () => {});
    const ridge = selection.results.find((r) => r.name === "ridge")!;
    const fitted = await fitSelected(
      { ...selection, best: ridge },
      params,
      data,
      Int32Array.from(folds.keys()),
    );
    await tracker.final("ridge", fitted, selection.summaries.ridge);
    const file = join(dir, "file.json");
    await Deno.writeTextFile(file, "{}\n");
    const summary = selection.summaries.ridge;
    await recordTrainingOutcome(client, run, {
      selected: "ridge",
      headline: {
        cv_rmse: summary.rmse,
        cv_r2: summary.r2,
        cv_fold_rmse_std: summary.fold_rmse_std,
      },
      files: { bundle: file, holdoutBundle: file, cvMetrics: file },
    });
    await recordEvaluation(client, runs, run, {
      headline: { worst_state_rmse: 0.3 },
      files: {},
      pages: {},
    });
    await runs.terminateRun(run.runId);

    const all = await client.tracking.searchRuns({ experimentIds: [experiment.experiment_id] });
    const named = (name: string): Run => {
      const found = all.find((r) => r.info.run_name === name);
      assert.ok(found, `no run named ${name} among ${all.map((r) => r.info.run_name)}`);
      return found;
    };
    // parent, 2 candidates, ridge's 3 trials in each of its 3 outer folds, the final fit,
    // its 3 tuning trials, the evaluation
    assert.equal(all.length, 17);

    const git = gitState();
    for (const r of all) {
      const tags = r.data.tags;
      const what = `run ${r.info.run_name}`;
      assert.equal(tags["mlflow.runName"], r.info.run_name, what);
      assert.ok(tags["mlflow.user"] && tags["mlflow.user"] !== "unknown", what);
      assert.equal(tags["mlflow.source.name"], "tests/training/mlflow_training_run_test.ts", what);
      assert.equal(tags["mlflow.source.type"], underCi() ? "JOB" : "LOCAL", what);
      // The test runs in the project's git checkout, so the commit is known.
      assert.ok(git, "the tests run inside a git checkout");
      assert.equal(tags["mlflow.source.git.commit"], git.commit, what);
      assert.match(tags["mlflow.source.git.commit"], /^[0-9a-f]{40}$/, what);
      assert.equal(tags["pipeline.git_dirty"], `${git.dirty}`, what);
      assert.equal(tags["pipeline.pid"], `${currentProcess().pid}`, what);
    }

    // The candidate's hyper-parameter is a param of its own, one of the grid's values.
    const ridgeRun = named("ridge");
    assert.ok(ALPHAS.map(String).includes(ridgeRun.data.params.alpha), ridgeRun.data.params.alpha);
    assert.equal(ridgeRun.data.params.family, "ridge");
    assert.ok(Object.keys(ridgeRun.data.params).every((k) => !k.includes("fold")));
    assert.ok(Object.values(ridgeRun.data.params).every((v) => !v.startsWith("{")));
    const varying = ridgeRun.data.tags["tuning.varying_params"];
    if (varying !== undefined) assert.equal(varying, "alpha");
    for (const trial of all.filter((r) => r.info.run_name.startsWith("ridge trial "))) {
      assert.ok(ALPHAS.map(String).includes(trial.data.params.alpha));
    }
    assert.equal(named("final: ridge").data.params.alpha, String(fitted.params.alpha));

    // The parent's cv_ figures have the same keys on the candidates and the final fit.
    const parent = named(all.find((r) => r.info.run_id === run.runId)!.info.run_name);
    const cvKeys = Object.keys(parent.data.metrics).filter((k) => k.startsWith("cv_")).sort();
    assert.deepEqual(cvKeys, ["cv_fold_rmse_std", "cv_r2", "cv_rmse"]);
    for (const name of ["mean", "ridge", "final: ridge"]) {
      const metrics = named(name).data.metrics;
      for (const key of cvKeys) assert.ok(key in metrics, `${name} lacks ${key}`);
      assert.equal(metrics.rmse, undefined, `${name} still logs rmse`);
    }
    assert.ok(Math.abs(ridgeRun.data.metrics.cv_rmse - summary.rmse) < 1e-12);
    assert.equal(named("evaluate").data.metrics.worst_state_rmse, 0.3);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

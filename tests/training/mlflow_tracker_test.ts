import assert from "node:assert/strict";
import { TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { fitSelected } from "../../pipeline/training/fit_selected.ts";
import { mlflowTracker } from "../../pipeline/training/mlflow_tracker.ts";
import { STUDY_TAG, TRIAL_STATE_TAG, TRIAL_TAG } from "../../pipeline/training/tracked_runs.ts";
import { standalonePlotlyPage } from "../../pipeline/report/plotly_html.ts";
import { selectModel } from "../../pipeline/training/select_model.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";
import { startTestServer } from "../support/mlflow_server.ts";

Deno.test("training logs a child run per candidate and a nested one per tuning trial", async () => {
  const server = await startTestServer();
  try {
    const { client } = server;
    const experiment = await client.tracking.getOrCreateExperiment("tracker-test");
    const parent = await client.tracking.createRun({ experimentId: experiment.experiment_id });
    const pages: string[] = [];
    const tracker = mlflowTracker(
      client,
      experiment.experiment_id,
      parent.info.run_id,
      client.tracking,
      (title, figure) => {
        pages.push(title);
        return standalonePlotlyPage(title, figure, "window.Plotly = {};");
      },
    );
    const x = uniformMatrix(90, 2, 3);
    const folds = Float64Array.from({ length: 90 }, (_, i) => (i % 3) + 1);
    const data: TrainingData = {
      x,
      y: linearTarget(x, [0.4, 0.2], 0.1, 0.02, 5),
      folds,
      spec: { inputFeatures: ["a", "b"], indicators: [], interactions: [] },
    };
    const params = TrainParamsSchema.parse({
      candidates: [
        { family: "mean" },
        { family: "ridge", grid: { alpha: [0.01, 1, 100] } },
        { family: "ols" },
        {
          family: "elastic_net",
          search: {
            method: "tpe",
            space: {
              alpha: { kind: "log_uniform", min: 1e-4, max: 10 },
              l1Ratio: { kind: "uniform", min: 0.1, max: 1 },
            },
            trials: 8,
            startup_trials: 3,
          },
        },
      ],
      ensemble: { enabled: true, top_k: 2 },
    });
    const splits = foldSplits(folds, [1, 2, 3]);
    const selection = await selectModel(params, data, splits, tracker, () => {});
    // Refit the ensemble whichever candidate won, to see its members' runs.
    const ensemble = selection.results.find((r) => r.name === "ensemble")!;
    const rows = Int32Array.from(folds.keys());
    const fitted = await fitSelected({ ...selection, best: ensemble }, params, data, rows);
    await tracker.final("ensemble", fitted, selection.summaries.ensemble);

    const runs = await client.tracking.searchRuns({ experimentIds: [experiment.experiment_id] });
    const byId = new Map(runs.map((r) => [r.info.run_id, r]));
    const parentOf = (name: string) => {
      const run = runs.find((r) => r.info.run_name === name)!;
      return byId.get(run.data.tags["mlflow.parentRunId"])?.info.run_name ??
        run.data.tags["mlflow.parentRunId"];
    };
    for (const name of ["mean", "ridge", "ols", "elastic_net", "ensemble"]) {
      assert.equal(parentOf(name), parent.info.run_name, name);
    }
    const ridge = runs.find((r) => r.info.run_name === "ridge")!;
    assert.ok(Math.abs(ridge.data.metrics.cv_rmse - selection.summaries.ridge.rmse) < 1e-12);
    const foldHistory = await client.tracking.getMetricHistory(ridge.info.run_id, "fold_rmse");
    assert.deepEqual(foldHistory.map((m) => m.step).sort(), [1, 2, 3]);
    // The ensemble's members' final fits nest under it, a tuned one with its trials.
    assert.equal(fitted.members?.length, 2);
    for (const member of fitted.members!) {
      assert.equal(parentOf(`final: ${member.name}`), "final: ensemble");
      const trials = runs.filter((r) => r.info.run_name.startsWith(`${member.name} trial `));
      assert.equal(trials.length, member.fitted.tuning?.trials.length ?? 0, member.name);
      assert.ok(trials.every((t) => parentOf(t.info.run_name) === `final: ${member.name}`));
    }
    // A grid's trials nest under the candidate's run too: 3 outer folds × 3 values.
    const ridgeTrials = runs.filter((r) => r.data.tags["mlflow.parentRunId"] === ridge.info.run_id);
    assert.equal(ridgeTrials.length, 9);
    // Each outer fold's search nests its trials under the candidate's run: 3 folds × 8.
    const net = runs.find((r) => r.info.run_name === "elastic_net")!;
    const netTrials = runs.filter((r) => r.data.tags["mlflow.parentRunId"] === net.info.run_id);
    assert.equal(netTrials.length, 24);
    const cvResult = selection.results.find((r) => r.name === "elastic_net")!;
    for (const fold of cvResult.folds) {
      const study = netTrials.filter((r) => r.data.tags[STUDY_TAG] === `fold ${fold.fold}`);
      assert.equal(study.length, 8, `fold ${fold.fold}`);
      for (const [i, trial] of fold.tuning!.trials.entries()) {
        const run = study.find((r) => r.data.tags[TRIAL_TAG] === String(i + 1))!;
        assert.equal(run.info.run_name, `elastic_net fold ${fold.fold} trial ${i + 1}`);
        assert.equal(run.data.tags[TRIAL_STATE_TAG], trial.state);
        assert.equal(Number(run.data.params.alpha), trial.params.alpha);
        const steps = await client.tracking.getMetricHistory(run.info.run_id, "inner_fold_rmse");
        assert.deepEqual(
          steps.sort((a, b) => a.step - b.step).map((m) => m.value),
          trial.foldScores,
        );
        if (trial.state === "complete") {
          assert.equal(run.data.metrics.inner_cv_rmse, trial.score);
        } else {
          assert.equal("inner_cv_rmse" in run.data.metrics, false);
        }
      }
    }
    // The candidate's run holds its studies' history and importance pages.
    const files = await client.artifacts.list(net.info.artifact_uri, "tuning");
    assert.deepEqual(files.map((f) => f.path).sort(), [
      "tuning/history.html",
      "tuning/importance.html",
    ]);
    const history = new TextDecoder().decode(
      await client.artifacts.download(net.info.artifact_uri, "tuning/history.html"),
    );
    assert.match(history, /<title>elastic_net: tuning history<\/title>/);
    assert.ok(pages.includes("elastic_net: parameter importance"));
    assert.ok(
      runs.every((r) => r.info.status === "FINISHED" || r.info.run_id === parent.info.run_id),
    );
  } finally {
    await server.stop();
  }
});

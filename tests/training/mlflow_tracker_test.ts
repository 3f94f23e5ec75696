import assert from "node:assert/strict";
import { TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { fitSelected } from "../../pipeline/training/fit_selected.ts";
import { mlflowTracker } from "../../pipeline/training/mlflow_tracker.ts";
import { selectModel } from "../../pipeline/training/select_model.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";
import { startTestServer } from "../support/mlflow_server.ts";

Deno.test("training logs a child run per candidate and per tuning trial to MLflow", async () => {
  const server = await startTestServer();
  try {
    const { client } = server;
    const experiment = await client.tracking.getOrCreateExperiment("tracker-test");
    const parent = await client.tracking.createRun({ experimentId: experiment.experiment_id });
    const tracker = mlflowTracker(client, experiment.experiment_id, parent.info.run_id);
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
    for (const name of ["mean", "ridge", "ols", "ensemble"]) {
      assert.equal(parentOf(name), parent.info.run_name, name);
    }
    const ridge = runs.find((r) => r.info.run_name === "ridge")!;
    assert.ok(Math.abs(ridge.data.metrics.cv_rmse - selection.summaries.ridge.rmse) < 1e-12);
    const history = await client.tracking.getMetricHistory(ridge.info.run_id, "fold_rmse");
    assert.deepEqual(history.map((m) => m.step).sort(), [1, 2, 3]);
    // The ensemble's members' final fits nest under it, ridge with its 3 trials.
    assert.equal(parentOf("final: ridge"), "final: ensemble");
    const trials = runs.filter((r) => r.info.run_name.startsWith("ridge trial "));
    assert.equal(trials.length, 3);
    assert.ok(trials.every((t) => parentOf(t.info.run_name) === "final: ridge"));
    assert.ok(
      runs.every((r) => r.info.status === "FINISHED" || r.info.run_id === parent.info.run_id),
    );
  } finally {
    await server.stop();
  }
});

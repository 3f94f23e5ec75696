/**
 * The training protocol keeps the held-out fold out of every choice: selection, the
 * ensemble's members and weights and the tuned params do not move when the held-out
 * fold's targets do, while its score and the pooled out-of-fold figures over every fold do.
 */
import assert from "node:assert/strict";
import { TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { NO_TRACKER } from "../../pipeline/training/tracker.ts";
import { type TrainedModel, trainSelected } from "../../pipeline/training/train_selected.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

const rows = 160;
const folds = Float64Array.from({ length: rows }, (_, i) => (i % 4) + 1);
const x = uniformMatrix(rows, 3, 11);
const y = linearTarget(x, [0.6, -0.3, 0.2], 0.3, 0.05, 5);
const params = TrainParamsSchema.parse({
  candidates: [
    { family: "mean" },
    { family: "ols" },
    { family: "ridge", grid: { alpha: [0.01, 0.3, 3, 30] } },
    { family: "gbm", params: { nEstimators: 30, minSamplesLeaf: 5, colsampleByTree: 1 } },
  ],
  ensemble: { enabled: true, top_k: 3, method: "nnls" },
  fairness: { enabled: false },
});
const split = { cvFolds: [1, 2, 3, 4], holdoutFold: 4 };

function train(target: Float64Array): Promise<TrainedModel> {
  const data: TrainingData = {
    x,
    y: target,
    folds,
    spec: { inputFeatures: ["a", "b", "c"], indicators: [], interactions: [] },
  };
  return trainSelected(params, data, split, NO_TRACKER, () => {});
}

/** Everything that was chosen: by whom, with which weights and per-fold params. */
function choices(trained: TrainedModel) {
  const { selection } = trained;
  return {
    best: selection.best.name,
    members: selection.ensembleMembers,
    weights: selection.ensembleWeights,
    summaries: selection.summaries,
    params: selection.results.map((r) => r.folds.map((f) => f.params)),
    servedParams: trained.holdoutFit.params,
  };
}

Deno.test("the held-out fold takes no part in selection, weights or tuning", async () => {
  const honest = await train(y);
  // Scramble the held-out fold's targets: a leak anywhere in selection would show.
  const perturbed = y.map((v, i) => (folds[i] === 4 ? 1 - v + 0.3 * Math.sin(i) : v));
  const moved = await train(perturbed);
  assert.deepEqual(
    { ...choices(moved), summaries: stripSeconds(choices(moved).summaries) },
    { ...choices(honest), summaries: stripSeconds(choices(honest).summaries) },
  );
  assert.deepEqual(honest.selection.results[0].folds.map((f) => f.fold), [1, 2, 3]);
  // The held-out score and the pooled 4-fold figure do see the change.
  assert.ok(moved.headline.holdout_rmse > honest.headline.holdout_rmse + 0.05);
  assert.ok(moved.headline.cv_rmse > honest.headline.cv_rmse);
  assert.equal(moved.headline.dev_cv_rmse, honest.headline.dev_cv_rmse);
});

Deno.test("the final configuration's out-of-fold figures cover every CV fold", async () => {
  const trained = await train(y);
  assert.deepEqual(trained.final.folds.map((f) => f.fold), [1, 2, 3, 4]);
  assert.ok(trained.final.oof.every(Number.isFinite));
  // The held-out score is the fold-4 entry of the final cross-validation.
  const fold4 = trained.final.folds.find((f) => f.fold === 4)!;
  assert.ok(Math.abs(fold4.metrics.rmse - trained.headline.holdout_rmse) < 1e-12);
  assert.equal(trained.headline.dev_cv_rmse, trained.selection.best.pooled.rmse);
  assert.equal(trained.headline.cv_rmse, trained.final.pooled.rmse);
});

function stripSeconds(summaries: Readonly<Record<string, Record<string, number>>>) {
  return Object.fromEntries(
    Object.entries(summaries).map(([k, s]) => {
      const { seconds: _, ...rest } = s;
      return [k, rest];
    }),
  );
}

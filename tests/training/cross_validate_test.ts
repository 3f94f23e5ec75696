import assert from "node:assert/strict";
import { matrix } from "../../pipeline/core/matrix.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";
import {
  crossValidate,
  fitCandidate,
  type TrainingData,
} from "../../pipeline/training/cross_validate.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { ensemble as ensembleOf } from "../../pipeline/models/ensemble/ensemble.ts";
import { candidateNames, selectModel } from "../../pipeline/training/select_model.ts";
import { NO_TRACKER } from "../../pipeline/training/tracker.ts";
import { CandidateSchema, TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

const folds = Float64Array.from({ length: 120 }, (_, i) => (i % 3) + 1);

function data(y: Float64Array, x = uniformMatrix(120, 2, 3)): TrainingData {
  return { x, y, folds, spec: { inputFeatures: ["a", "b"], indicators: [], interactions: [] } };
}

Deno.test("out-of-fold predictions never see their own fold", async () => {
  // Each fold's target is its fold id: a mean baseline trained on the other two folds
  // predicts their mean, never the held-out value.
  const result = await crossValidate(
    "mean",
    { family: "mean", params: {}, tuning_budget_s: 1 },
    data(Float64Array.from(folds)),
    foldSplits(folds, [1, 2, 3]),
    0,
  );
  for (let i = 0; i < folds.length; i++) {
    const others = [1, 2, 3].filter((f) => f !== folds[i]);
    assert.ok(Math.abs(result.oof[i] - (others[0] + others[1]) / 2) < 1e-12);
  }
  assert.deepEqual(result.folds.map((f) => f.fold), [1, 2, 3]);
});

Deno.test("imputation inside CV uses training-fold medians only", async () => {
  // Column a is missing on fold 1 rows; its value there must be filled from folds 2-3.
  const x = matrix(120, 2);
  for (let i = 0; i < 120; i++) {
    x.data[i * 2] = folds[i] === 1 ? NaN : folds[i] === 2 ? 0.2 : 0.6;
    x.data[i * 2 + 1] = 0.5;
  }
  const y = Float64Array.from({ length: 120 }, (_, i) => x.data[i * 2] || 0.4);
  const result = await crossValidate(
    "ols",
    { family: "ols", params: {}, tuning_budget_s: 1 },
    data(y, x),
    foldSplits(folds, [1, 2, 3]),
    0,
  );
  // OLS on folds 2-3 learns y = a; fold 1 rows get a = median(0.2.., 0.6..) = 0.4.
  assert.ok(Math.abs(result.oof[0] - 0.4) < 1e-9);
});

Deno.test("a tuned candidate reports the params chosen in each fold", async () => {
  const x = uniformMatrix(120, 2, 5);
  const y = linearTarget(x, [1, -1], 0.2, 0.05, 9);
  const result = await crossValidate(
    "ridge",
    { family: "ridge", params: {}, grid: { alpha: [0.001, 1000] }, tuning_budget_s: 10 },
    data(y, x),
    foldSplits(folds, [1, 2, 3]),
    0,
  );
  assert.ok(result.folds.every((f) => f.params.alpha === 0.001));
  assert.ok(result.pooled.r2 > 0.8);
});

Deno.test("an unknown family or bad params are named with their path", async () => {
  const run = (family: string, params: Record<string, number>) =>
    crossValidate(
      "x",
      { family, params, tuning_budget_s: 1 },
      data(Float64Array.from(folds)),
      foldSplits(folds, [1, 2]),
      0,
      () => {},
      "train.candidates[4]",
    );
  await assert.rejects(run("xgboost", {}), /train.candidates\[4\]: unknown family "xgboost"/);
  await assert.rejects(run("ridge", { alpha: -1 }), /train.candidates\[4\].params: alpha/);
});

Deno.test("selection adds an ensemble and picks the lowest RMSE", async () => {
  const x = uniformMatrix(120, 2, 7);
  const y = linearTarget(x, [0.5, 0.2], 0.1, 0.02, 4);
  const params = TrainParamsSchema.parse({
    candidates: [{ family: "mean" }, { family: "ols" }, { family: "median" }],
    ensemble: { enabled: true, top_k: 2, method: "average" },
  });
  const selection = await selectModel(
    params,
    data(y, x),
    foldSplits(folds, [1, 2, 3]),
    NO_TRACKER,
    () => {},
  );
  assert.deepEqual(selection.results.map((r) => r.name), ["mean", "ols", "median", "ensemble"]);
  assert.equal(selection.best.name, "ols");
  assert.equal(selection.ensembleMembers[0], "ols");
  const ensemble = selection.results[3];
  const members = selection.ensembleMembers.map((n) =>
    selection.results.find((r) => r.name === n)!
  );
  // With fixed weights, the out-of-fold score is the served ensemble's own averaging, to
  // the last bit.
  const served = ensembleOf(members.map((m) => ({
    family: m.family,
    predict: () => m.oof,
    serialize: () => ({ family: m.family, formatVersion: 1, state: {} }),
  })));
  assert.deepEqual(ensemble.oof, served.predict(matrix(ensemble.oof.length, 1)));
});

Deno.test("candidate names are unique", () => {
  assert.deepEqual(candidateNames(["gbm", "ridge", "gbm"]), ["gbm", "ridge", "gbm#2"]);
});

Deno.test("a candidate with seeds is the average of its fits with consecutive seeds", async () => {
  const x = uniformMatrix(120, 2, 11);
  const y = linearTarget(x, [1, -1], 0.2, 0.1, 12);
  const rows = Int32Array.from({ length: 120 }, (_, i) => i);
  const gbm = { nEstimators: 20, subsample: 0.5, colsampleByTree: 0.5, minSamplesLeaf: 5 };
  const candidate = (seeds?: number) =>
    CandidateSchema.parse({
      family: "gbm",
      params: gbm,
      ...(seeds === undefined ? {} : { seeds }),
    });
  const bag = await fitCandidate(candidate(3), data(y, x), rows, 7, "test");
  const singles = await Promise.all(
    [7, 8, 9].map((seed) => fitCandidate(candidate(), data(y, x), rows, seed, "test")),
  );
  const bagged = bag.model.predict(x);
  const single = singles.map((s) => s.model.predict(x));
  assert.equal(bag.model.family, "ensemble");
  // Different seeds give different fits, and the bag is their mean.
  assert.ok(single[0].some((v, i) => Math.abs(v - single[1][i]) > 1e-6));
  for (let i = 0; i < bagged.length; i++) {
    const mean = (single[0][i] + single[1][i] + single[2][i]) / 3;
    assert.ok(Math.abs(bagged[i] - mean) < 1e-12);
  }
  // It serialises as an ensemble of the family and loads back to the same predictions.
  const loaded = loadModel(JSON.parse(JSON.stringify(bag.model.serialize())));
  assert.deepEqual(loaded.predict(x), bagged);
  // One seed (or none) is the single fit itself, unchanged.
  const one = await fitCandidate(candidate(1), data(y, x), rows, 7, "test");
  assert.equal(one.model.family, "gbm");
  assert.deepEqual(one.model.predict(x), single[0]);
  assert.throws(() => candidate(0), /seeds/);
});

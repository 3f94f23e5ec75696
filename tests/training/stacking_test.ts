/**
 * Stacking weights: non-negative, summing to 1, recovering known weights, shrunk toward
 * equal ones by the ridge; and the ensemble's out-of-fold blend of a fold never uses
 * weights learned on that fold.
 */
import assert from "node:assert/strict";
import { stackingWeights } from "../../pipeline/models/ensemble/stacking_weights.ts";
import { EnsembleParamsSchema } from "../../pipeline/config/params_schema.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";
import { ensembleResult, weightLearner } from "../../pipeline/training/ensemble_result.ts";
import type { CandidateResult, TrainingData } from "../../pipeline/training/cross_validate.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { regressionMetrics } from "../../pipeline/core/statistics.ts";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const n = 400;
const next = random(3);
const members = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, next));
const truth = [0.5, 0.3, 0.2, 0];
const y = Float64Array.from(
  { length: n },
  (_, i) => truth.reduce((s, w, m) => s + w * members[m][i], 0) + 0.01 * (next() - 0.5),
);

Deno.test("NNLS recovers known non-negative weights", () => {
  const w = stackingWeights(members, y);
  assert.ok(w.every((v) => v >= 0));
  assert.ok(Math.abs(w.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  w.forEach((v, m) => assert.ok(Math.abs(v - truth[m]) < 0.02, `weight ${m}: ${v}`));
});

Deno.test("a member anti-correlated with the target gets weight 0", () => {
  const w = stackingWeights([members[0], members[0].map((v) => -v)], members[0]);
  assert.deepEqual(w, [1, 0]);
});

Deno.test("the ridge pulls the weights toward equal", () => {
  const spread = (w: number[]) => Math.max(...w) - Math.min(...w);
  const plain = stackingWeights(members, y);
  const shrunk = stackingWeights(members, y, { ridge: 1 });
  assert.ok(spread(shrunk) < spread(plain) / 5);
  assert.throws(() => stackingWeights(members, y, { ridge: -1 }), /ridge/);
});

Deno.test("each fold's blend uses weights learned on the other folds only", () => {
  const folds = Float64Array.from({ length: n }, (_, i) => (i % 4) + 1);
  const splits = foldSplits(folds, [1, 2, 3, 4]);
  const result = (m: number): CandidateResult => ({
    name: `m${m}`,
    family: "ridge",
    oof: members[m],
    pooled: regressionMetrics(y, members[m]),
    folds: splits.map((s) => ({
      fold: s.fold,
      metrics: regressionMetrics(y, y),
      params: {},
      fitMs: 0,
    })),
    elapsedMs: 0,
  });
  const run = (target: Float64Array) => {
    const data: TrainingData = {
      x: matrix(n, 0),
      y: target,
      folds,
      spec: { inputFeatures: [], indicators: [], interactions: [] },
    };
    const candidates = [0, 1, 2, 3].map(result);
    const learn = weightLearner(EnsembleParamsSchema.parse({}), candidates, target);
    return ensembleResult(candidates, data, splits, learn);
  };
  const honest = run(y);
  // Change fold 1's targets only: fold 1's blend must not move, the others' must.
  const moved = run(y.map((v, i) => (folds[i] === 1 ? members[3][i] : v)));
  for (let i = 0; i < n; i++) {
    if (folds[i] === 1) assert.equal(moved.result.oof[i], honest.result.oof[i]);
  }
  assert.ok(
    Array.from(moved.result.oof).some((v, i) => folds[i] !== 1 && v !== honest.result.oof[i]),
  );
  assert.notDeepEqual(moved.weights, honest.weights);
});

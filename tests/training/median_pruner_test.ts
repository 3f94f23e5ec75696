import assert from "node:assert/strict";
import { matrix } from "../../pipeline/core/matrix.ts";
import { constantModel } from "../../pipeline/models/constant/constant_model.ts";
import type { Estimator } from "../../pipeline/models/regressor.ts";
import { medianPruner } from "../../pipeline/training/median_pruner.ts";
import type { Trial } from "../../pipeline/training/sampler.ts";
import { tune } from "../../pipeline/training/tuning.ts";

/** Predicts its `value` everywhere, counting its fits. */
function constantEstimator(fits: { count: number }): Estimator<{ value: number }> {
  return {
    family: "constant",
    fit(_x, _y, params) {
      fits.count++;
      return constantModel("constant", params.value);
    },
  };
}

const y = new Float64Array(12).fill(1);
const groups = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];

Deno.test("the median pruner stops a clearly bad trial after its first inner fold", async () => {
  const fits = { count: 0 };
  const values = [1.1, 0.9, 1.2, 0.8, 1.05, 9, 1.01];
  const result = await tune(matrix(12, 1), y, {
    estimator: constantEstimator(fits),
    candidates: values.map((value) => ({ value })),
    groups,
    pruner: medianPruner({ startupTrials: 3 }),
  });
  const bad = result.trials[5];
  assert.equal(bad.state, "pruned");
  assert.deepEqual(bad.foldScores, [8]);
  assert.equal(bad.score, 8); // the mean of the folds it reached
  assert.deepEqual(result.trials.slice(0, 3).map((t) => t.state), [
    "complete",
    "complete",
    "complete",
  ]);
  assert.equal(result.trials[6].state, "complete"); // 0.01 off: better than the median
  assert.deepEqual(result.best, { value: 1.01 });
  // Pruning saved the bad trial's 3 other folds; every other trial was fitted on 4.
  const pruned = result.trials.filter((t) => t.state === "pruned");
  assert.equal(
    fits.count,
    4 * values.length - pruned.reduce((s, t) => s + 4 - t.foldScores.length, 0),
  );
});

Deno.test("the median pruner never stops the first trials nor one that is complete anyway", async () => {
  const fits = { count: 0 };
  // Worse and worse: each would be pruned against the ones before, were there enough.
  const values = [1.1, 1.2, 1.3, 1.4, 1.5];
  const result = await tune(matrix(12, 1), y, {
    estimator: constantEstimator(fits),
    candidates: values.map((value) => ({ value })),
    groups,
    pruner: medianPruner({ startupTrials: 3 }),
  });
  assert.deepEqual(result.trials.map((t) => t.state), [
    "complete",
    "complete",
    "complete",
    "pruned",
    "pruned",
  ]);
  const eager = medianPruner({ startupTrials: 0 });
  const first = await tune(matrix(12, 1), y, {
    estimator: constantEstimator(fits),
    candidates: [{ value: 5 }, { value: 6 }],
    groups,
    pruner: () => true, // would prune everything it is asked about
  });
  assert.deepEqual(first.trials.map((t) => t.state), ["complete", "pruned"]); // not the first
  const asked: number[] = [];
  const last = await tune(matrix(12, 1), y, {
    estimator: constantEstimator(fits),
    candidates: [{ value: 5 }, { value: 6 }],
    groups,
    pruner: (foldScores) => (asked.push(foldScores.length), foldScores.length === 4),
  });
  assert.deepEqual(asked, [1, 2, 3]); // never after the last fold: nothing left to save
  assert.equal(last.trials[1].state, "complete");
  const done: Trial<unknown> = { params: {}, score: 1, foldScores: [1, 1], state: "complete" };
  assert.equal(eager([2], [done]), true);
  assert.equal(medianPruner({ warmupSteps: 2, startupTrials: 1 })([2], [done]), false);
});

Deno.test("the median pruner ignores pruned trials and NaN scores in its median", () => {
  const prune = medianPruner({ startupTrials: 2 });
  const trial = (foldScores: number[], state: "complete" | "pruned"): Trial<unknown> => ({
    params: {},
    score: foldScores[0],
    foldScores,
    state,
  });
  const history = [trial([1, 1], "complete"), trial([3, 3], "complete"), trial([0, 0], "pruned")];
  assert.equal(prune([2.5], history), true); // median of the complete ones: 2
  assert.equal(prune([1.5], history), false);
  assert.equal(prune([1.5], [...history, trial([NaN, NaN], "complete")]), false);
  assert.equal(prune([NaN], history), true);
});

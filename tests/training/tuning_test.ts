import assert from "node:assert/strict";
import { type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { seededFoldIds } from "../../pipeline/folds/seeded_folds.ts";
import { constantModel } from "../../pipeline/models/constant/constant_model.ts";
import { meanEstimator } from "../../pipeline/models/mean/mean_baseline.ts";
import type { Estimator } from "../../pipeline/models/regressor.ts";
import { ridgeEstimator } from "../../pipeline/models/ridge/ridge.ts";
import type { Trial } from "../../pipeline/training/sampler.ts";
import { tune } from "../../pipeline/training/tuning.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

const alphas = [{ alpha: 1e-6 }, { alpha: 1 }, { alpha: 1e6 }];

Deno.test("tune picks a tiny penalty when the target is an exact linear function", async () => {
  const x = uniformMatrix(60, 8, 41);
  const y = linearTarget(x, [1, -2, 3, 0.5, -1, 2, 0, 1], 0.1);
  const result = await tune(x, y, {
    estimator: ridgeEstimator,
    candidates: alphas,
    groups: seededFoldIds(60, 5, 1),
  });
  assert.deepEqual(result.best, { alpha: 1e-6 });
  assert.equal(result.trials.length, 3);
  assert.ok(result.trials[0].score < result.trials[1].score);
});

Deno.test("tune picks a huge penalty when the target is pure noise", async () => {
  const x = uniformMatrix(40, 15, 42);
  const y = linearTarget(x, new Array(15).fill(0), 0, 1, 43);
  const result = await tune(x, y, {
    estimator: ridgeEstimator,
    candidates: alphas,
    groups: seededFoldIds(40, 5, 2),
  });
  assert.deepEqual(result.best, { alpha: 1e6 });
  assert.equal(result.bestScore, Math.min(...result.trials.map((s) => s.score)));
});

Deno.test("tune builds inner folds from the group ids and pools their predictions", async () => {
  const seen: number[][] = [];
  const spy = {
    family: "spy",
    fit(x: Matrix, y: Float64Array) {
      seen.push(Array.from(y));
      return meanEstimator.fit(x, y, {});
    },
  } satisfies Estimator<Record<string, never>>;
  const y = new Float64Array([1, 2, 3, 4]);
  const result = await tune(matrix(4, 1), y, {
    estimator: spy,
    candidates: [{}],
    groups: [7, 7, 9, 9],
  });
  assert.deepEqual(seen, [[3, 4], [1, 2]]);
  // Out-of-fold predictions 3.5, 3.5, 1.5, 1.5 against 1, 2, 3, 4.
  assert.ok(Math.abs(result.bestScore - Math.sqrt(17 / 4)) < 1e-12);
  assert.deepEqual(result.trials[0].foldScores, [Math.sqrt(4.25), Math.sqrt(4.25)]);
});

Deno.test("tune prepares each inner fold once and scores as plain fits would", async () => {
  const x = uniformMatrix(45, 4, 46);
  const y = linearTarget(x, [1, 0, -1, 2], 0, 0.3, 47);
  let prepared = 0;
  const counting = {
    ...ridgeEstimator,
    prepare(px: Matrix, py: Float64Array) {
      prepared++;
      return ridgeEstimator.prepare(px, py);
    },
  };
  const plain = { family: "ridge", fit: ridgeEstimator.fit };
  const options = { candidates: alphas, groups: seededFoldIds(45, 3, 5) };
  const viaPrepare = await tune(x, y, { ...options, estimator: counting });
  const viaFit = await tune(x, y, { ...options, estimator: plain });
  assert.equal(prepared, 3);
  assert.deepEqual(viaPrepare.trials, viaFit.trials);
});

Deno.test("tune stops when the budget runs out, after scoring at least one candidate", async () => {
  let now = 0;
  const clock = () => (now += 10);
  const x = uniformMatrix(30, 3, 44);
  const y = linearTarget(x, [1, 2, 3], 0, 0.1);
  const options = {
    estimator: ridgeEstimator,
    candidates: [1, 2, 3, 4, 5, 6].map((alpha) => ({ alpha })),
    groups: seededFoldIds(30, 3, 3),
    clock,
  };
  const tight = await tune(x, y, { ...options, budgetMs: 1 });
  assert.equal(tight.stoppedEarly, true);
  assert.equal(tight.trials.length, 1);
  assert.equal(tight.skipped, 5);
  const partial = await tune(x, y, { ...options, budgetMs: 75 });
  assert.ok(partial.stoppedEarly && partial.trials.length > 1 && partial.trials.length < 6);
  assert.equal(partial.skipped, 6 - partial.trials.length);
  const ample = await tune(x, y, { ...options, budgetMs: 1e9 });
  assert.equal(ample.stoppedEarly, false);
  assert.equal(ample.trials.length, 6);
});

Deno.test("tune respects a wall-clock budget with slow fits", async () => {
  const slow = {
    family: "slow",
    async fit(_x: Matrix, _y: Float64Array, params: { value: number }) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return constantModel("slow", params.value);
    },
  } satisfies Estimator<{ value: number }>;
  const candidates = Array.from({ length: 20 }, (_, value) => ({ value }));
  const result = await tune(matrix(6, 1), new Float64Array(6), {
    estimator: slow,
    candidates,
    groups: [1, 1, 2, 2, 3, 3],
    budgetMs: 100,
  });
  // All 20 candidates × 3 folds would take at least 1200 ms.
  assert.ok(result.stoppedEarly);
  assert.ok(result.elapsedMs < 600, `${result.elapsedMs} ms`);
  assert.deepEqual(result.best, { value: 0 });
});

Deno.test("tune rejects a single group and mismatched lengths", async () => {
  const x = uniformMatrix(4, 1, 45);
  const y = new Float64Array(4);
  const base = { estimator: meanEstimator, candidates: [{}] };
  await assert.rejects(tune(x, y, { ...base, groups: [1, 1, 1, 1] }), /two groups/);
  await assert.rejects(tune(x, y, { ...base, groups: [1, 2] }), /group ids/);
  await assert.rejects(tune(x, y, { ...base, candidates: [], groups: [1, 2, 1, 2] }), /no cand/);
});

Deno.test("tune asks a sampler for each trial, with every earlier trial", async () => {
  const seen: number[][] = [];
  const sampler = {
    size: 4,
    suggest(history: readonly Trial<{ alpha: number }>[]) {
      seen.push(history.map((t) => t.params.alpha));
      return { alpha: 10 ** history.length };
    },
  };
  const x = uniformMatrix(30, 3, 48);
  const result = await tune(x, linearTarget(x, [1, 2, 3], 0, 0.1), {
    estimator: ridgeEstimator,
    candidates: sampler,
    groups: seededFoldIds(30, 3, 6),
  });
  assert.deepEqual(seen, [[], [1], [1, 10], [1, 10, 100]]);
  assert.equal(result.trials.length, 4);
  assert.ok(result.trials.every((t) => t.state === "complete" && t.foldScores.length === 3));
});

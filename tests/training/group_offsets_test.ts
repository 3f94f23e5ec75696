/**
 * Group offsets as training fits them (`pipeline/training/fit_group_offsets.ts`): the
 * shrinkage is the one-way random-effects ANOVA estimate (checked on a balanced design,
 * where it has a closed form), rows with a missing level or residual are skipped, no
 * variance between levels gives no offsets, and the out-of-fold figures never let a
 * fold's own residuals into its offsets.
 */
import assert from "node:assert/strict";
import { regressionMetrics } from "../../pipeline/core/statistics.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { fitGroupOffsets, withGroupOffsets } from "../../pipeline/training/fit_group_offsets.ts";
import type { CandidateResult } from "../../pipeline/training/cross_validate.ts";

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

Deno.test("on a balanced design the shrinkage is MSW / ((MSB - MSW) / n)", () => {
  // 5 levels of 8 rows: level means -0.2, -0.1, 0, 0.1, 0.2 plus noise.
  const rng = seededRandom(4);
  const levels = 5, n = 8;
  const codes: number[] = [], residuals: number[] = [];
  for (let g = 0; g < levels; g++) {
    for (let i = 0; i < n; i++) {
      codes.push(10 + g);
      residuals.push((g - 2) / 10 + (rng.next() - 0.5) / 5);
    }
  }
  const means = Array.from({ length: levels }, (_, g) => {
    const own = residuals.slice(g * n, (g + 1) * n);
    return own.reduce((s, r) => s + r, 0) / n;
  });
  const grand = residuals.reduce((s, r) => s + r, 0) / residuals.length;
  const msw = residuals.reduce((s, r, i) => s + (r - means[Math.floor(i / n)]) ** 2, 0) /
    (levels * (n - 1));
  const msb = (n * means.reduce((s, m) => s + (m - grand) ** 2, 0)) / (levels - 1);
  const expected = msw / ((msb - msw) / n);

  const fitted = fitGroupOffsets("state", codes, residuals);
  assert.deepEqual(fitted.levels, [10, 11, 12, 13, 14]);
  close(fitted.shrinkage!, expected, "shrinkage");
  means.forEach((m, g) => close(fitted.offsets[g], (n * m) / (n + expected), `offset ${g}`));
});

Deno.test("rows missing a level or a residual are left out; small levels keep less", () => {
  const codes = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, NaN, 3];
  const residuals = [
    0.3,
    0.2,
    0.3,
    0.2,
    0.3,
    0.2,
    -0.1,
    -0.2,
    -0.1,
    -0.2,
    -0.1,
    -0.2,
    0.25,
    5,
    NaN,
  ];
  const fitted = fitGroupOffsets("state", codes, residuals);
  const without = fitGroupOffsets("state", codes.slice(0, 13), residuals.slice(0, 13));
  assert.deepEqual(fitted, without);
  // Level 3 has one row with a mean as large as level 1's six: it keeps a smaller share.
  const share = (k: number, mean: number) => fitted.offsets[k] / mean;
  assert.ok(share(2, 0.25) < share(0, 0.25), `${fitted.offsets}`);
});

Deno.test("no variance between levels, or a single level, gives no offsets", () => {
  const alike = fitGroupOffsets("state", [1, 1, 2, 2], [0.1, -0.1, 0.1, -0.1]);
  assert.equal(alike.shrinkage, null);
  assert.deepEqual(alike.offsets, [0, 0]);
  const single = fitGroupOffsets("state", [4, 4, 4], [0.3, 0.2, 0.1]);
  assert.equal(single.shrinkage, null);
  assert.deepEqual(single.offsets, [0]);
});

Deno.test("a fold's offsets are learned without that fold's residuals", () => {
  // Two folds, two levels. In fold 1, level 1 sits 0.3 under its predictions; in fold 2
  // nobody is off. If fold 1's residuals leaked into its own offsets, they would move.
  const rows = 40;
  const folds = Float64Array.from({ length: rows }, (_, i) => 1 + (i % 2));
  const codes = Float64Array.from({ length: rows }, (_, i) => 1 + (Math.floor(i / 2) % 2));
  const rng = seededRandom(9);
  const y = Float64Array.from({ length: rows }, () => 0.4 + rng.next() / 10);
  const oof = y.map((v, i) =>
    folds[i] === 1 && codes[i] === 1 ? v + 0.3 : v + (rng.next() - 0.5) / 50
  );
  const result: CandidateResult = {
    name: "m",
    family: "ridge",
    oof,
    pooled: regressionMetrics(y, oof),
    folds: [1, 2].map((fold) => ({
      fold,
      metrics: regressionMetrics([0], [0]),
      params: {},
      fitMs: 0,
    })),
    elapsedMs: 0,
  };
  const shifted = withGroupOffsets(result, "state", codes, y, folds);
  for (let i = 0; i < rows; i++) {
    if (folds[i] === 1) {
      // Offsets from fold 2, whose residuals are small noise: fold 1 barely moves.
      assert.ok(
        Math.abs(shifted.oof[i] - oof[i]) < 0.02,
        `row ${i} moved ${shifted.oof[i] - oof[i]}`,
      );
    }
  }
  // Fold 2's offsets come from fold 1, where level 1 is over-predicted: they pull it down.
  const moved = [...shifted.oof].map((p, i) => p - oof[i]);
  const fold2Level1 = moved.filter((_, i) => folds[i] === 2 && codes[i] === 1);
  assert.ok(fold2Level1.every((d) => d < -0.1), `${fold2Level1}`);
  // The figures are recomputed from the shifted predictions, fold by fold.
  const fold1 = [...shifted.oof.keys()].filter((i) => folds[i] === 1);
  close(
    shifted.folds[0].metrics.rmse,
    regressionMetrics(fold1.map((i) => y[i]), fold1.map((i) => shifted.oof[i])).rmse,
    "fold 1 rmse",
  );
  close(shifted.pooled.rmse, regressionMetrics(y, shifted.oof).rmse, "pooled rmse");
});

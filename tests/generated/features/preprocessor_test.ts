// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { fromRows, selectRows } from "../../../pipeline/core/matrix.ts";
import { foldSplits } from "../../../pipeline/folds/fold_split.ts";
import { fitPreprocessor, transform } from "../../../pipeline/features/preprocessor.ts";
import { matrix } from "../../../pipeline/core/matrix.ts";

Deno.test("fill values come from the training rows only (no leakage)", () => {
  const spec = {
    inputFeatures: ["a", "b"],
    indicators: ["b"],
    interactions: [["a", "b"] as const],
  };
  // Fold 2 holds extreme values: if they leaked into the medians the fills would move.
  const folds = [1, 1, 1, 2, 2];
  const x = fromRows([[0.1, NaN], [0.2, 0.4], [0.3, 0.6], [0.9, 0.99], [0.95, 0.98]]);
  const [fold2] = foldSplits(folds, [2, 1]).filter((s) => s.fold === 2);
  const pre = fitPreprocessor(spec, selectRows(x, fold2.train));
  assert.deepEqual(pre.fill, [0.2, 0.5]);
  const test = transform(pre, fromRows([[NaN, NaN]]));
  assert.deepEqual(Array.from(test.data), [0.2, 0.5, 1, 0.2 * 0.5]);
  assert.deepEqual(pre.outputNames, ["a", "b", "b_missing", "a_x_b"]);
});

Deno.test("transform keeps present values and flags only missing ones", () => {
  const spec = {
    inputFeatures: ["a", "b"],
    indicators: ["b"],
    interactions: [["a", "b"] as const],
  };
  const pre = fitPreprocessor(spec, fromRows([[0.5, 0.5]]));
  const out = transform(pre, fromRows([[0.1, 0.3]]));
  assert.deepEqual(Array.from(out.data), [0.1, 0.3, 0, 0.1 * 0.3]);
  assert.throws(() => transform(pre, fromRows([[0.1]])), /expected 2 input columns, got 1/);
});

Deno.test("transform can write into a given matrix of the right shape", () => {
  const spec = {
    inputFeatures: ["a", "b"],
    indicators: ["b"],
    interactions: [["a", "b"] as const],
  };
  const pre = fitPreprocessor(spec, fromRows([[0.5, 0.5]]));
  const into = matrix(1, 4);
  assert.equal(transform(pre, fromRows([[0.1, NaN]]), into), into);
  assert.deepEqual(Array.from(into.data), [0.1, 0.5, 1, 0.1 * 0.5]);
  assert.throws(() => transform(pre, fromRows([[0.1, 0.3]]), matrix(1, 3)), /must be 1 x 4/);
});

Deno.test("a column never observed in training falls back to 0", () => {
  const spec = {
    inputFeatures: ["a", "b"],
    indicators: ["b"],
    interactions: [["a", "b"] as const],
  };
  const pre = fitPreprocessor(spec, fromRows([[0.5, NaN], [0.7, NaN]]));
  assert.deepEqual(pre.fill, [0.6, 0]);
});

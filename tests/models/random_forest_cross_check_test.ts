/**
 * An independent implementation as a yardstick: on the real data, a few trees of our
 * forest predict a held-out fold at least about as well as as many trees of
 * `ml-random-forest` (a plain recursive CART on raw values, features drawn once per
 * tree), so a bug that costs accuracy cannot hide behind the binned split search.
 */
import assert from "node:assert/strict";
import { RandomForestRegression } from "ml-random-forest";
import type { Matrix } from "../../pipeline/core/matrix.ts";
import { rmse } from "../../pipeline/core/statistics.ts";
import { fitRandomForest } from "../../pipeline/models/random_forest/random_forest.ts";
import { loadImputedFolds } from "../../bench/fold_data.ts";

// ml-random-forest takes about a second per tree and share of features here.
const TREES = 4;
const SHARE = 0.1;

const rowsOf = (x: Matrix) =>
  Array.from(
    { length: x.rows },
    (_, i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
  );

Deno.test("on a real fold, our trees are no worse than ml-random-forest's", async () => {
  const { y, folds } = await loadImputedFolds();
  const { xTrain, yTrain, xTest, test } = folds[0];
  const yTest = Float64Array.from(test, (row) => y[row]);

  const theirs = new RandomForestRegression({
    nEstimators: TREES,
    maxFeatures: SHARE,
    seed: 1,
    noOOB: true,
    treeOptions: { minNumSamples: 3, gainThreshold: -1 },
  });
  theirs.train(rowsOf(xTrain), Array.from(yTrain));
  const theirRmse = rmse(yTest, Float64Array.from(theirs.predict(rowsOf(xTest))));
  const ours = fitRandomForest(xTrain, yTrain, { nEstimators: TREES, maxFeatures: SHARE }, 1);
  const ourRmse = rmse(yTest, ours.predict(xTest));
  assert.ok(ourRmse < theirRmse + 0.005, `ours ${ourRmse}, ml-random-forest ${theirRmse}`);
});

/**
 * What the random forest's tree budget costs in time and buys in accuracy: fits one
 * forest per built-in fold (1..10) on the other nine, imputed with that training
 * part's medians, and prints time per tree and pooled out-of-fold RMSE for each
 * budget. Forests are grown once with the largest budget and scored on their tree
 * prefixes, which equal smaller forests with the same seed.
 *
 * Usage: `deno run -A bench/random_forest_cv.ts [budgets=4,8,16] [maxFeatures=0.1]`
 *
 * Wall time depends on what else the machine runs, so CPU time is printed too.
 *
 * @module
 */
import process from "node:process";
import { rmse } from "../pipeline/core/statistics.ts";
import { randomForestEstimator } from "../pipeline/models/random_forest/random_forest.ts";
import { loadImputedFolds } from "./fold_data.ts";

const budgets = (Deno.args[0] ?? "4,8,16").split(",").map(Number).sort((a, b) => a - b);
const maxFeatures = Number(Deno.args[1] ?? 0.1);
const SEED = 7;

const { y, folds } = await loadImputedFolds();

const largest = budgets[budgets.length - 1];
const oof = budgets.map(() => new Float64Array(y.length));
const meanOof = new Float64Array(y.length);
let fitSeconds = 0;
let fitCpuSeconds = 0;
let predictSeconds = 0;
for (const { fold, test, xTrain, yTrain, xTest } of folds) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const forest = randomForestEstimator.fit(
    xTrain,
    yTrain,
    { nEstimators: largest, maxFeatures },
    SEED,
  );
  const fitted = performance.now();
  fitCpuSeconds += process.cpuUsage(cpu).user / 1e6;
  budgets.forEach((trees, b) => {
    const predicted = forest.predictWithTrees(xTest, trees);
    test.forEach((row, k) => oof[b][row] = predicted[k]);
  });
  predictSeconds += (performance.now() - fitted) / 1000;
  fitSeconds += (fitted - started) / 1000;
  const trainMean = yTrain.reduce((s, v) => s + v, 0) / yTrain.length;
  test.forEach((row) => meanOof[row] = trainMean);
  console.log(`fold ${fold}: ${((fitted - started) / 1000).toFixed(1)} s for ${largest} trees`);
}

console.log(
  `\nmaxFeatures ${maxFeatures.toFixed(3)} of ${folds[0].xTrain.cols} features, seed ${SEED}`,
);
const perTree = (seconds: number) => (seconds / (10 * largest)).toFixed(2);
console.log(
  `fit per tree: ${perTree(fitSeconds)} s wall, ${perTree(fitCpuSeconds)} s CPU ` +
    `(${fitSeconds.toFixed(0)} s wall in total)`,
);
console.log(`predict (all budgets, all folds): ${predictSeconds.toFixed(1)} s`);
console.log(`training-mean baseline: pooled OOF RMSE ${rmse(y, meanOof).toFixed(4)}`);
budgets.forEach((trees, b) => {
  console.log(`${String(trees).padStart(4)} trees: pooled OOF RMSE ${rmse(y, oof[b]).toFixed(4)}`);
});

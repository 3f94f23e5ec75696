/**
 * The neural network on the real data: fits one network per built-in fold (1..10) on
 * the other nine, imputed with that training part's medians, and prints time and
 * epochs per fold and the pooled out-of-fold RMSE.
 *
 * Usage: `deno run -A bench/neural_network_cv.ts ['{"hiddenLayers": [32], "dropout": 0}'] [seed=7]`
 * (parameters as JSON; unnamed ones keep their defaults). Wall time depends on what
 * else the machine runs, so CPU time is printed too.
 *
 * @module
 */
import process from "node:process";
import { selectValues } from "../pipeline/core/matrix.ts";
import { rmse } from "../pipeline/core/statistics.ts";
import { neuralNetworkEstimator } from "../pipeline/models/neural_network/neural_network.ts";
import { NeuralNetworkParamsSchema } from "../pipeline/models/neural_network/neural_network_params.ts";
import { loadImputedFolds } from "./fold_data.ts";

const params = NeuralNetworkParamsSchema.parse(JSON.parse(Deno.args[0] ?? "{}"));
const SEED = Number(Deno.args[1] ?? 7);

const { y, folds } = await loadImputedFolds();
const oof = new Float64Array(y.length);
let seconds = 0;
let cpuSeconds = 0;
for (const { fold, test, xTrain, yTrain, xTest } of folds) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const model = await neuralNetworkEstimator.fit(xTrain, yTrain, params, SEED);
  const elapsed = (performance.now() - started) / 1000;
  seconds += elapsed;
  cpuSeconds += process.cpuUsage(cpu).user / 1e6;
  const predicted = model.predict(xTest);
  test.forEach((row, k) => oof[row] = predicted[k]);
  const { epochs, bestEpoch } = model.history;
  console.log(
    `fold ${fold}: ${elapsed.toFixed(1)} s, ${epochs} epochs (best ${bestEpoch}), ` +
      `fold RMSE ${rmse(selectValues(y, test), predicted).toFixed(4)}`,
  );
}
console.log(`\n${JSON.stringify(params)}, seed ${SEED}`);
console.log(
  `fit per fold: ${(seconds / 10).toFixed(1)} s wall, ${(cpuSeconds / 10).toFixed(1)} s CPU`,
);
console.log(`pooled OOF RMSE ${rmse(y, oof).toFixed(4)}`);

/**
 * Benchmarks the gradient-boosted trees regressor with the data set's own 10-fold
 * cross-validation on Communities and Crime: prints the time per fold, the total, and
 * the pooled out-of-fold RMSE and R². Folds run in parallel, one worker per core.
 *
 * Any hyperparameter can be overridden as a flag:
 *
 * ```sh
 * deno run -A bench/gbm_cv.ts --learningRate=0.03 --subsample=0.8
 * deno run -A bench/gbm_cv.ts --data=path/to/communities.data --seed=3 --workers=1
 * ```
 *
 * @module
 */
import process from "node:process";
import { matrix, selectRows, selectValues } from "../pipeline/core/matrix.ts";
import { GbmParamsSchema } from "../pipeline/models/gbm/gbm_params.ts";
import type { FoldJob, FoldResult } from "./gbm_cv_worker.ts";

const DEFAULT_DATA = "/work/shared/data/communities-and-crime/communities.data";
const NON_PREDICTIVE = new Set(["state", "county", "community", "communityname", "fold"]);
const BENCH_PARAMS = { nEstimators: 500, maxDepth: 4, learningRate: 0.05 };

const flags = Object.fromEntries(
  Deno.args.map((arg) => arg.replace(/^--/, "").split("=") as [string, string]),
);
const {
  data: dataPath = DEFAULT_DATA,
  seed: seedFlag = "0",
  workers: workersFlag = String(navigator.hardwareConcurrency),
  ...paramFlags
} = flags;
const params = GbmParamsSchema.parse({
  ...BENCH_PARAMS,
  ...Object.fromEntries(Object.entries(paramFlags).map(([k, v]) => [k, Number(v)])),
});
const seed = Number(seedFlag);

const names = (await Deno.readTextFile(dataPath.replace(/\.data$/, ".names")))
  .split("\n")
  .filter((line) => line.startsWith("@attribute"))
  .map((line) => line.split(/\s+/)[1]);
const records = (await Deno.readTextFile(dataPath))
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => line.split(",").map((v) => (v === "?" ? NaN : Number(v))));
const target = names.length - 1;
const featureCols = names.flatMap((
  name,
  j,
) => (NON_PREDICTIVE.has(name) || j === target ? [] : [j]));
const foldCol = names.indexOf("fold");

const x = matrix(records.length, featureCols.length);
records.forEach((rec, i) => featureCols.forEach((j, k) => (x.data[i * x.cols + k] = rec[j])));
const y = Float64Array.from(records, (rec) => rec[target]);
const folds = records.map((rec) => rec[foldCol]);
const foldIds = [...new Set(folds)].sort((a, b) => a - b);
const testRows = new Map(foldIds.map((f) => [f, folds.flatMap((g, i) => (g === f ? [i] : []))]));

const jobs: FoldJob[] = foldIds.map((fold) => {
  const train = folds.flatMap((f, i) => (f === fold ? [] : [i]));
  return {
    fold,
    cols: x.cols,
    xTrain: selectRows(x, train).data,
    yTrain: selectValues(y, train),
    xTest: selectRows(x, testRows.get(fold)!).data,
    params,
    seed: seed + fold,
  };
});

const nWorkers = Math.max(1, Math.min(Number(workersFlag), jobs.length));
console.log(`rows=${x.rows} features=${x.cols} folds=${foldIds.length} seed=${seed}`);
console.log(`workers=${nWorkers} params=${JSON.stringify(params)}`);
const oof = new Float64Array(x.rows);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const queue = [...jobs];
await Promise.all(Array.from({ length: nWorkers }, async () => {
  const worker = new Worker(new URL("./gbm_cv_worker.ts", import.meta.url), { type: "module" });
  for (let job = queue.shift(); job; job = queue.shift()) {
    const result = await new Promise<FoldResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FoldResult>) => resolve(event.data);
      worker.onerror = reject;
      worker.postMessage(job);
    });
    testRows.get(result.fold)!.forEach((row, k) => (oof[row] = result.yHat[k]));
    console.log(`fold ${result.fold}: ${result.ms.toFixed(0)} ms, ${result.nTrees} trees`);
  }
  worker.terminate();
}));
const total = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);

const mean = y.reduce((a, b) => a + b, 0) / y.length;
let sse = 0;
let sst = 0;
for (let i = 0; i < y.length; i++) {
  sse += (y[i] - oof[i]) ** 2;
  sst += (y[i] - mean) ** 2;
}
// CPU time next to wall time shows when other processes slowed the run down.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(`total: ${total.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s cpu`);
console.log(`oof rmse: ${Math.sqrt(sse / y.length).toFixed(4)}  r2: ${(1 - sse / sst).toFixed(4)}`);

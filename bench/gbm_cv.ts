/**
 * Benchmarks the gradient-boosted trees regressor with the data set's own 10-fold
 * cross-validation on Communities and Crime (all 122 raw features, missing values
 * left in): prints the time per fold, the total, and the pooled out-of-fold RMSE and
 * R². Folds run in parallel, one worker per core.
 *
 * By default it times 500 depth-4 trees on all rows and features; `--defaults` starts
 * from the schema's tuned defaults instead. Any hyperparameter can be set as a flag:
 *
 * ```sh
 * deno run -A bench/gbm_cv.ts --learningRate=0.03 --subsample=0.8
 * deno run -A bench/gbm_cv.ts --defaults --seed=3 --workers=1
 * ```
 *
 * @module
 */
import process from "node:process";
import { selectRows, selectValues } from "../pipeline/core/matrix.ts";
import { featureNames, FOLD, TARGET } from "../pipeline/data/catalogue.ts";
import { loadRaw } from "../pipeline/data/load_raw.ts";
import { fromRaw, getColumn, toMatrix } from "../pipeline/data/numeric_table.ts";
import { r2, rmse } from "../pipeline/core/statistics.ts";
import { foldSplits } from "../pipeline/folds/fold_split.ts";
import { benchSettings } from "./gbm_bench_params.ts";
import type { FoldJob } from "./gbm_cv_worker.ts";
import { foldPool } from "./gbm_worker_pool.ts";

const { params, flags } = benchSettings(Deno.args, ["seed", "workers"]);
const seed = Number(flags.seed ?? 0);
const workersFlag = flags.workers ?? String(navigator.hardwareConcurrency);

// Raw features with their missing values: the model handles NaN itself.
const { columns, table: raw } = await loadRaw();
const features = featureNames(columns);
const table = fromRaw(raw, [...features, TARGET, FOLD]);
const x = toMatrix(table, features);
const y = getColumn(table, TARGET);
const foldColumn = getColumn(table, FOLD);
const splits = foldSplits(foldColumn, [...new Set(foldColumn)].sort((a, b) => a - b));
const testRows = new Map(splits.map(({ fold, test }) => [fold, test]));

const jobs: FoldJob[] = splits.map(({ fold, train, test }) => ({
  fold,
  cols: x.cols,
  xTrain: selectRows(x, train).data,
  yTrain: selectValues(y, train),
  xTest: selectRows(x, test).data,
  params,
  seed: seed + fold,
}));

const nWorkers = Math.max(1, Math.min(Number(workersFlag), jobs.length));
console.log(`rows=${x.rows} features=${x.cols} folds=${splits.length} seed=${seed}`);
console.log(`workers=${nWorkers} params=${JSON.stringify(params)}`);
const oof = new Float64Array(x.rows);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const pool = foldPool(nWorkers);
await pool.run(jobs, (result) => {
  testRows.get(result.fold)!.forEach((row, k) => (oof[row] = result.yHat[k]));
  console.log(`fold ${result.fold}: ${result.ms.toFixed(0)} ms, ${result.nTrees} trees`);
});
pool.close();
const total = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);

// CPU time next to wall time shows when other processes slowed the run down.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(`total: ${total.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s cpu`);
console.log(`oof rmse: ${rmse(y, oof).toFixed(4)}  r2: ${r2(y, oof).toFixed(4)}`);

/**
 * The project's boosted trees against LightGBM, XGBoost and scikit-learn's
 * HistGradientBoostingRegressor at equal settings, one thread each, on the same
 * median-imputed matrices of the 10 built-in folds (`fold_data.ts`). Every round runs
 * a full 10-fold CV of each model in turn (ours, LightGBM, XGBoost, scikit-learn), so
 * machine noise hits all of them alike; round 0 warms up every side and is not counted.
 * Only fitting and predicting are timed, on both sides (data is loaded once per
 * process). Then the same CV runs on 1 and on 2 workers, interleaved, to show how it
 * scales. Prints each model's pooled out-of-fold RMSE, its median CPU and wall seconds,
 * and the peers' time over ours with the min-max over rounds. CPU time is the fairer
 * figure on a shared machine (wall time also counts waiting for a core); ours includes
 * the engine's own compiler and garbage-collector threads.
 *
 * Settings are `gbm_bench_params.ts`'s (500 depth-4 trees, learning rate 0.05, every row
 * and feature, at least 20 rows per leaf, L2 1, 256 bins) and take the same flags.
 * The peers run in a throwaway virtualenv:
 *
 * ```sh
 * python3 -m venv /tmp/peers
 * /tmp/peers/bin/pip install scikit-learn==1.7.2 xgboost==3.1.1 lightgbm==4.6.0 \
 *   numpy==2.4.6 pandas==3.1.1 scipy==1.17.1
 * deno run -A bench/gbm_peers.ts --rounds=5 --python=/tmp/peers/bin/python
 * ```
 *
 * @module
 */
import process from "node:process";
import { rmse } from "../pipeline/core/statistics.ts";
import { fitGbm } from "../pipeline/models/gbm/gbm.ts";
import { benchSettings } from "./gbm_bench_params.ts";
import type { FoldJob } from "./gbm_cv_worker.ts";
import { foldPool } from "./gbm_worker_pool.ts";
import { loadImputedFolds } from "./fold_data.ts";

const { params, flags } = benchSettings(Deno.args, ["rounds", "python", "seed"]);
const rounds = Number(flags.rounds ?? 5);
const python = flags.python ?? Deno.env.get("PEERS_PYTHON") ?? "/tmp/peers/bin/python";
const seed = Number(flags.seed ?? 0);
const PEERS = ["lightgbm", "xgboost", "sklearn"] as const;

const { y, folds } = await loadImputedFolds();
console.log(`folds=${folds.length} rows=${y.length} features=${folds[0].xTrain.cols}`);
console.log(`params=${JSON.stringify(params)} rounds=${rounds} (+1 warm-up)`);
// Two workers can only run side by side when the machine has two cores to spare.
const load = () => Deno.loadavg().map((v) => v.toFixed(1)).join(" ");
console.log(`cores=${navigator.hardwareConcurrency} load average at start: ${load()}`);

// The peers read the same matrices from raw little-endian float64 files.
const dir = await Deno.makeTempDir({ prefix: "gbm_peers_" });
const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
for (const { fold, test, xTrain, yTrain, xTest } of folds) {
  await Deno.writeFile(`${dir}/${fold}_x_train.f64`, bytes(xTrain.data));
  await Deno.writeFile(`${dir}/${fold}_y_train.f64`, bytes(yTrain));
  await Deno.writeFile(`${dir}/${fold}_x_test.f64`, bytes(xTest.data));
  await Deno.writeFile(`${dir}/${fold}_y_test.f64`, bytes(Float64Array.from(test, (r) => y[r])));
}
const manifest = { cols: folds[0].xTrain.cols, folds: folds.map((f) => f.fold), params };
await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest));

const child = new Deno.Command(python, {
  args: [new URL("./gbm_peers.py", import.meta.url).pathname, dir],
  stdin: "piped",
  stdout: "piped",
  env: { OMP_NUM_THREADS: "1" },
}).spawn();
const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
let buffered = "";
async function readLine(): Promise<string> {
  while (!buffered.includes("\n")) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${python} exited before answering`);
    buffered += value;
  }
  const at = buffered.indexOf("\n");
  const line = buffered.slice(0, at);
  buffered = buffered.slice(at + 1);
  return line;
}
const writer = child.stdin.getWriter();
await readLine(); // the peers have loaded their data

interface Run {
  readonly seconds: number;
  readonly cpu: number;
  readonly rmse: number | null;
}

async function peer(name: string): Promise<Run> {
  await writer.write(new TextEncoder().encode(`${name}\n`));
  return JSON.parse(await readLine());
}

function ours(): Run {
  const oof = new Float64Array(y.length);
  let ms = 0;
  let cpu = 0;
  for (const { fold, test, xTrain, yTrain, xTest } of folds) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const yHat = fitGbm(xTrain, yTrain, params, seed + fold).predict(xTest);
    ms += performance.now() - started;
    const used = process.cpuUsage(cpuStarted);
    cpu += (used.user + used.system) / 1e6;
    test.forEach((row, k) => (oof[row] = yHat[k]));
  }
  return { seconds: ms / 1000, cpu, rmse: rmse(y, oof) };
}

const names = ["ours", ...PEERS];
const runs = new Map<string, Run[]>(names.map((n) => [n, []]));
for (let round = 0; round <= rounds; round++) {
  const line: string[] = [];
  for (const name of names) {
    const run = name === "ours" ? ours() : await peer(name);
    if (round > 0) runs.get(name)!.push(run);
    line.push(`${name} ${run.seconds.toFixed(2)} s (cpu ${run.cpu.toFixed(2)})`);
  }
  console.log(`round ${round}${round === 0 ? " (warm-up)" : ""}: ${line.join(", ")}`);
}
await writer.close();
await child.status;
await Deno.remove(dir, { recursive: true });

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// CPU seconds are the main figure: on a shared machine wall time also counts waiting.
const report = (label: string, of: (r: Run) => number) => {
  console.log(`\n${label}: model, rmse, median s, peer / ours (median, min-max over rounds)`);
  const base = runs.get("ours")!.map(of);
  for (const name of names) {
    const r = runs.get(name)!;
    const seconds = r.map(of);
    const ratios = seconds.map((s, i) => s / base[i]);
    const score = r[0].rmse === null ? "   n/a" : r[0].rmse.toFixed(4);
    const ratio = name === "ours" ? "" : `${median(ratios).toFixed(2)}x ` +
      `(${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
    console.log(
      `${name.padEnd(10)} ${score}   ${median(seconds).toFixed(2).padStart(7)}    ${ratio}`,
    );
  }
};
report("cpu seconds", (r) => r.cpu);
report("wall seconds", (r) => r.seconds);

// Scaling: the same CV on one and on two workers, started beforehand, interleaved.
const jobs: FoldJob[] = folds.map(({ fold, xTrain, yTrain, xTest }) => ({
  fold,
  cols: xTrain.cols,
  xTrain: xTrain.data,
  yTrain,
  xTest: xTest.data,
  params,
  seed: seed + fold,
}));
const pools = [foldPool(1), foldPool(2)];
const wall = pools.map(() => [] as number[]);
for (let round = 0; round <= rounds; round++) {
  for (const [p, pool] of pools.entries()) {
    const started = performance.now();
    await pool.run(jobs);
    if (round > 0) wall[p].push((performance.now() - started) / 1000);
  }
}
pools.forEach((pool) => pool.close());
console.log(`\nload average at end: ${load()}`);
const speedups = wall[0].map((s, i) => s / wall[1][i]);
console.log(
  `workers: 1 -> ${median(wall[0]).toFixed(2)} s, 2 -> ${median(wall[1]).toFixed(2)} s wall; ` +
    `speed-up ${median(speedups).toFixed(2)}x ` +
    `(${Math.min(...speedups).toFixed(2)}-${Math.max(...speedups).toFixed(2)})`,
);

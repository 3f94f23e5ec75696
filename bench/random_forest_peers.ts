/**
 * The random forest against scikit-learn's `RandomForestRegressor` at equal settings
 * (trees, `max_features` share, `min_samples_leaf`, bootstrap), on the same
 * preprocessed matrices and the same 10 built-in folds (`./fold_data.ts`: each fold's
 * training part imputed with its own medians). The matrices are written once to a
 * temporary directory as float64 files; `./random_forest_peers.py` reads them. Runs
 * alternate, ours then scikit-learn's, with seed `r` in round `r` for both; each prints
 * its pooled out-of-fold RMSE and the seconds to fit all ten folds and predict their
 * test rows (one thread each; loading data is not timed). The summary gives both mean
 * RMSEs, their difference, and the time ratio (scikit-learn / ours) with its range.
 *
 * The Python side needs a throwaway virtualenv outside the repository:
 *
 * ```sh
 * python3 -m venv /tmp/peers
 * /tmp/peers/bin/pip install scikit-learn==1.7.2 numpy==2.4.6
 * deno run -A bench/random_forest_peers.ts --python=/tmp/peers/bin/python --rounds=3
 * ```
 *
 * Flags (defaults: the `random_forest` entry of `config/params.yaml` but its depth, else
 * the schema's):
 * `--nEstimators`, `--maxFeatures`, `--minSamplesLeaf`, `--bootstrap=false`, `--rounds`,
 * `--python` (or the `PEERS_PYTHON` env var).
 *
 * @module
 */
import process from "node:process";
import { join } from "node:path";
import { r2, rmse } from "../pipeline/core/statistics.ts";
import { loadParams } from "../pipeline/config/load_params.ts";
import { fitRandomForest } from "../pipeline/models/random_forest/random_forest.ts";
import { RandomForestParamsSchema } from "../pipeline/models/random_forest/random_forest_params.ts";
import { type ImputedFold, loadImputedFolds } from "./fold_data.ts";

const flags = Object.fromEntries(
  Deno.args.map((arg) => {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    return [key, value];
  }),
);
const { python = Deno.env.get("PEERS_PYTHON") ?? "/tmp/peers/bin/python", rounds = "3" } = flags;
// The comparison grows unbounded trees on both sides: a configured maxDepth is left out.
const { maxDepth: _depth, ...configured } = (await loadParams("train")).candidates
  .find((c) => c.family === "random_forest")?.params ?? {};
const params = RandomForestParamsSchema.parse({
  ...configured,
  ...(flags.nEstimators ? { nEstimators: Number(flags.nEstimators) } : {}),
  ...(flags.maxFeatures ? { maxFeatures: Number(flags.maxFeatures) } : {}),
  ...(flags.minSamplesLeaf ? { minSamplesLeaf: Number(flags.minSamplesLeaf) } : {}),
  ...(flags.bootstrap ? { bootstrap: flags.bootstrap !== "false" } : {}),
});

const { y, folds } = await loadImputedFolds();
const dir = await writeFolds(y, folds);

/** Fits ours on every fold; returns pooled RMSE, wall and CPU seconds. */
function ours(seed: number) {
  const oof = new Float64Array(y.length);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const { test, xTrain, yTrain, xTest } of folds) {
    const predicted = fitRandomForest(xTrain, yTrain, params, seed).predict(xTest);
    test.forEach((row, k) => oof[row] = predicted[k]);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = process.cpuUsage(cpu).user / 1e6;
  return { rmse: rmse(y, oof), r2: r2(y, oof), seconds, cpuSeconds };
}

async function sklearn(
  seed: number,
): Promise<{ rmse: number; seconds: number; cpuSeconds: number }> {
  const { code, stdout, stderr } = await new Deno.Command(python, {
    args: [
      "bench/random_forest_peers.py",
      dir,
      `--n-estimators=${params.nEstimators}`,
      `--max-features=${params.maxFeatures}`,
      `--min-samples-leaf=${params.minSamplesLeaf}`,
      `--bootstrap=${params.bootstrap ? 1 : 0}`,
      `--seed=${seed}`,
    ],
    env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
  }).output();
  if (code !== 0) throw new Error(`${python} failed: ${new TextDecoder().decode(stderr)}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

console.log(
  `random forest: ${params.nEstimators} trees, maxFeatures ${params.maxFeatures} of ` +
    `${folds[0].xTrain.cols}, minSamplesLeaf ${params.minSamplesLeaf}, bootstrap ` +
    `${params.bootstrap}, maxBins ${params.maxBins}; ${rounds} rounds, 10 folds each`,
);
const results: { ours: ReturnType<typeof ours>; sklearn: Awaited<ReturnType<typeof sklearn>> }[] =
  [];
const seconds = (wall: number, cpu: number) => `${wall.toFixed(2)} s (${cpu.toFixed(2)} s CPU)`;
try {
  for (let r = 0; r < Number(rounds); r++) {
    const a = ours(r);
    const b = await sklearn(r);
    results.push({ ours: a, sklearn: b });
    console.log(
      `round ${r}: ours RMSE ${a.rmse.toFixed(4)} (R² ${a.r2.toFixed(4)}) in ` +
        `${seconds(a.seconds, a.cpuSeconds)} | scikit-learn RMSE ${b.rmse.toFixed(4)} in ` +
        `${seconds(b.seconds, b.cpuSeconds)} | ratio ${(b.seconds / a.seconds).toFixed(2)} ` +
        `(CPU ${(b.cpuSeconds / a.cpuSeconds).toFixed(2)})`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const ourRmse = mean(results.map((r) => r.ours.rmse));
const theirRmse = mean(results.map((r) => r.sklearn.rmse));
console.log(
  `\nmean pooled RMSE: ours ${ourRmse.toFixed(4)}, scikit-learn ${theirRmse.toFixed(4)}, ` +
    `difference ${(ourRmse - theirRmse).toFixed(4)}`,
);
console.log(
  `mean seconds per 10-fold CV: ours ${
    seconds(mean(results.map((r) => r.ours.seconds)), mean(results.map((r) => r.ours.cpuSeconds)))
  }, scikit-learn ${
    seconds(
      mean(results.map((r) => r.sklearn.seconds)),
      mean(results.map((r) => r.sklearn.cpuSeconds)),
    )
  }`,
);
for (const [what, key] of [["wall", "seconds"], ["CPU", "cpuSeconds"]] as const) {
  const ratios = results.map((r) => r.sklearn[key] / r.ours[key]).sort((a, b) => a - b);
  console.log(
    `time ratio scikit-learn / ours (${what}): median ${ratios[ratios.length >> 1].toFixed(2)}, ` +
      `range ${ratios[0].toFixed(2)}-${ratios[ratios.length - 1].toFixed(2)}`,
  );
}

/** Writes the folds as float64 files plus a manifest; returns the directory. */
async function writeFolds(y: Float64Array, folds: readonly ImputedFold[]): Promise<string> {
  const out = await Deno.makeTempDir({ prefix: "random_forest_peers_" });
  const write = (name: string, values: Float64Array) =>
    Deno.writeFile(
      join(out, name),
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
  const manifest = [];
  for (const { fold, test, xTrain, yTrain, xTest } of folds) {
    const names = {
      xTrain: `x_train_${fold}.f64`,
      yTrain: `y_train_${fold}.f64`,
      xTest: `x_test_${fold}.f64`,
    };
    await write(names.xTrain, xTrain.data);
    await write(names.yTrain, yTrain);
    await write(names.xTest, xTest.data);
    manifest.push({ fold, test: Array.from(test), ...names });
  }
  await Deno.writeTextFile(
    join(out, "folds.json"),
    JSON.stringify({ cols: folds[0].xTrain.cols, y: Array.from(y), folds: manifest }),
  );
  return out;
}

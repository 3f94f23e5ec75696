/**
 * Chooses the random forest's settings without looking at the held-out fold: an inner
 * cross-validation over the nine other built-in folds (each inner fold once the test
 * part, the other eight the training part; the features imputed with the nine folds'
 * medians, `./fold_data.ts`), over a grid of `maxFeatures` and `minSamplesLeaf`. Prints
 * each point's pooled inner out-of-fold RMSE and fit seconds, best first.
 *
 * ```sh
 * deno run -A bench/random_forest_cv.ts [--nEstimators=300] [--maxFeatures=0.2,0.33,0.5] \
 *   [--minSamplesLeaf=1,2,3,5] [--seed=0]
 * ```
 *
 * @module
 */
import { selectRows, selectValues } from "../pipeline/core/matrix.ts";
import { rmse } from "../pipeline/core/statistics.ts";
import { fitRandomForest } from "../pipeline/models/random_forest/random_forest.ts";
import { loadImputedFolds } from "./fold_data.ts";

const HELD_OUT = 10;

const flags = Object.fromEntries(
  Deno.args.map((arg) => {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    return [key, value];
  }),
);
const list = (value: string) => value.split(",").map(Number);
const nEstimators = Number(flags.nEstimators ?? 300);
const shares = list(flags.maxFeatures ?? "0.2,0.33,0.5");
const leaves = list(flags.minSamplesLeaf ?? "1,2,3,5");
const seed = Number(flags.seed ?? 0);

const { folds } = await loadImputedFolds();
const outer = folds.find((f) => f.fold === HELD_OUT)!;
// The outer training rows are the other folds' rows in ascending order.
const foldOf = new Int32Array(outer.test.length + outer.xTrain.rows);
for (const { fold, test } of folds) for (const row of test) foldOf[row] = fold;
const trainFold = Int32Array.from(
  [...foldOf.keys()].filter((row) => foldOf[row] !== HELD_OUT),
  (row) => foldOf[row],
);
const innerFolds = [...new Set(trainFold)].sort((a, b) => a - b);

const results = [];
for (const maxFeatures of shares) {
  for (const minSamplesLeaf of leaves) {
    const oof = new Float64Array(outer.xTrain.rows);
    const started = performance.now();
    for (const inner of innerFolds) {
      const rows = (keep: (f: number) => boolean) =>
        Int32Array.from([...trainFold.keys()].filter((i) => keep(trainFold[i])));
      const train = rows((f) => f !== inner);
      const test = rows((f) => f === inner);
      const forest = fitRandomForest(
        selectRows(outer.xTrain, train),
        selectValues(outer.yTrain, train),
        { nEstimators, maxFeatures, minSamplesLeaf },
        seed,
      );
      const predicted = forest.predict(selectRows(outer.xTrain, test));
      test.forEach((row, k) => oof[row] = predicted[k]);
    }
    const seconds = (performance.now() - started) / 1000;
    const score = rmse(outer.yTrain, oof);
    results.push({ maxFeatures, minSamplesLeaf, score, seconds });
    console.log(
      `maxFeatures ${maxFeatures} minSamplesLeaf ${minSamplesLeaf}: inner RMSE ` +
        `${score.toFixed(4)} (${seconds.toFixed(1)} s)`,
    );
  }
}
console.log(`\n${nEstimators} trees, inner CV over folds ${innerFolds.join(", ")}, best first:`);
for (const r of results.sort((a, b) => a.score - b.score)) {
  console.log(
    `  maxFeatures ${r.maxFeatures} minSamplesLeaf ${r.minSamplesLeaf}: ${r.score.toFixed(4)}`,
  );
}

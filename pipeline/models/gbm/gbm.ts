/**
 * Histogram-based gradient-boosted regression trees with squared-error loss, native
 * missing-value handling, row and feature subsampling and optional early stopping.
 *
 * @module
 */
import { type Matrix, selectValues } from "../../core/matrix.ts";
import { type Random, seededRandom } from "../../core/random.ts";
import { rmse } from "../../core/statistics.ts";
import type { Estimator } from "../regressor.ts";
import { binMatrix, fitBinMapper } from "./binning.ts";
import { addBinnedTree } from "./binned_tree.ts";
import { type GbmParams, GbmParamsSchema } from "./gbm_params.ts";
import { type GbmRegressor, gbmRegressor } from "./gbm_model.ts";
import { GBM_FAMILY } from "./gbm_state.ts";
import { subtractLeaves, treeGrower } from "./grow_tree.ts";
import { sampleSorted } from "./sampling.ts";
import type { Tree } from "./tree.ts";

/**
 * Fits a boosted ensemble to `x` (NaN = missing) and `y`; the same seed always gives
 * the same model. Params are validated with {@linkcode GbmParamsSchema}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { rmse } from "../../core/statistics.ts";
 * import { fitGbm } from "./gbm.ts";
 * import { GbmParamsSchema } from "./gbm_params.ts";
 *
 * const x = matrix(100, 1, Float64Array.from({ length: 100 }, (_, i) => i / 100));
 * const y = x.data.map((v) => 2 * v);
 * const params = GbmParamsSchema.parse({ nEstimators: 100 });
 * const model = fitGbm(x, y, params, 42);
 * const yHat = model.predict(x);
 * assert.ok(rmse(y, yHat) < 0.2); // y spans [0, 2]
 * assert.deepEqual(fitGbm(x, y, params, 42).predict(x), yHat); // the same seed, the same model
 * ```
 */
export function fitGbm(x: Matrix, y: Float64Array, params: GbmParams, seed: number): GbmRegressor {
  const p = GbmParamsSchema.parse(params);
  if (y.length !== x.rows) throw new RangeError(`x has ${x.rows} rows but y has ${y.length}`);
  if (x.rows === 0) throw new RangeError("cannot fit on zero rows");
  if (!y.every(Number.isFinite)) throw new RangeError("y must be finite");
  const rng = seededRandom(seed);
  const earlyStopping = p.earlyStoppingRounds > 0 && p.validationFraction > 0;
  const { trainRows, validRows } = holdOut(x.rows, earlyStopping ? p.validationFraction : 0, rng);
  const mapper = fitBinMapper(x, trainRows, p.maxBins);
  const binned = binMatrix(mapper, x);
  const grow = treeGrower(binned, mapper, p);

  let baseScore = 0;
  for (const r of trainRows) baseScore += y[r] / trainRows.length;
  // Residuals (target minus prediction) of the training rows, updated tree by tree.
  const residuals = new Float64Array(x.rows);
  for (const r of trainRows) residuals[r] = y[r] - baseScore;
  const validPred = new Float64Array(x.rows).fill(baseScore);
  const allFeatures = Int32Array.from({ length: x.cols }, (_, j) => j);
  const rowsPerTree = Math.max(1, Math.round(p.subsample * trainRows.length));
  const featuresPerTree = Math.max(1, Math.round(p.colsampleByTree * x.cols));
  const validY = selectValues(y, validRows);
  const trees: Tree[] = [];
  let bestLoss = Infinity;
  let bestCount = 0;
  for (let t = 0; t < p.nEstimators; t++) {
    const rows = sampleSorted(trainRows, rowsPerTree, rng);
    const features = sampleSorted(allFeatures, featuresPerTree, rng);
    const grown = grow(residuals, rows, features);
    trees.push(grown.tree);
    // Every training row in the tree: its leaf ranges say what each row gets.
    if (rows.length === trainRows.length) subtractLeaves(residuals, grown.tree, rows);
    else addBinnedTree(residuals, grown, binned, trainRows, -1);
    if (!earlyStopping) continue;
    addBinnedTree(validPred, grown, binned, validRows, 1);
    const loss = rmse(validY, selectValues(validPred, validRows));
    if (loss < bestLoss) {
      bestLoss = loss;
      bestCount = trees.length;
    } else if (trees.length - bestCount >= p.earlyStoppingRounds) {
      break;
    }
  }
  if (earlyStopping) trees.length = bestCount;
  return gbmRegressor({ nFeatures: x.cols, baseScore, trees });
}

/** The gradient-boosted trees family, for use wherever an {@linkcode Estimator} is expected. */
export const gbmEstimator: Estimator<GbmParams> = { family: GBM_FAMILY, fit: fitGbm };

/** Splits `0..n-1` into sorted training rows and a random `fraction` of validation rows. */
function holdOut(n: number, fraction: number, rng: Random) {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (fraction === 0) return { trainRows: all, validRows: new Int32Array(0) };
  const nValid = Math.max(1, Math.round(fraction * n));
  if (nValid >= n) throw new RangeError(`cannot hold out ${nValid} of ${n} rows for validation`);
  const validRows = sampleSorted(all, nValid, rng);
  const isValid = new Uint8Array(n);
  for (const r of validRows) isValid[r] = 1;
  return { trainRows: all.filter((r) => isValid[r] === 0), validRows };
}

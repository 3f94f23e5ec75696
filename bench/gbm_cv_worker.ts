/**
 * Worker for `gbm_cv.ts`: fits one cross-validation fold and returns its held-out
 * predictions, so that folds run in parallel on separate cores.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { matrix } from "../pipeline/core/matrix.ts";
import { fitGbm } from "../pipeline/models/gbm/gbm.ts";
import type { GbmParams } from "../pipeline/models/gbm/gbm_params.ts";

/** One fold to fit: training and held-out rows, row-major with `cols` columns. */
export interface FoldJob {
  readonly fold: number;
  readonly cols: number;
  readonly xTrain: Float64Array;
  readonly yTrain: Float64Array;
  readonly xTest: Float64Array;
  readonly params: GbmParams;
  readonly seed: number;
}

/** A fitted fold's held-out predictions and how long fitting and predicting took. */
export interface FoldResult {
  readonly fold: number;
  readonly yHat: Float64Array;
  readonly ms: number;
  readonly nTrees: number;
}

self.onmessage = (event: MessageEvent<FoldJob>) => {
  const { fold, cols, xTrain, yTrain, xTest, params, seed } = event.data;
  const started = performance.now();
  const model = fitGbm(matrix(yTrain.length, cols, xTrain), yTrain, params, seed);
  const yHat = model.predict(matrix(xTest.length / cols, cols, xTest));
  const result: FoldResult = { fold, yHat, ms: performance.now() - started, nTrees: model.nTrees };
  self.postMessage(result);
};

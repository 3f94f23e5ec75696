/**
 * Prediction from a bundle: raw feature rows in, predictions out. Pure TypeScript on
 * typed arrays, shared by the evaluation code and the server so both predict alike.
 *
 * @module
 */
import { BundleError } from "./bundle_io.ts";
import { type Matrix, matrix } from "../core/matrix.ts";
import { transform } from "../features/preprocessor.ts";
import type { Regressor, SerializedModel } from "../models/regressor.ts";
import type { ModelBundle } from "./bundle_schema.ts";
import { offsetOf } from "./group_offsets.ts";

/**
 * Predicts from rows holding every contract feature, in `bundle.features` order: the
 * model's prediction plus the row's group offset when the bundle has them.
 */
export interface BundlePredictor {
  readonly bundle: ModelBundle;
  /** Contract feature names, in the column order `predict` expects. */
  readonly featureNames: readonly string[];
  /** Predicts each row of `x` (NaN = missing, imputed by the bundle's preprocessor). */
  predict(x: Matrix): Float64Array;
}

/**
 * Builds a predictor; `loadModel` turns the serialised model into a regressor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../core/matrix.ts";
 * import { loadModel } from "../models/load_model.ts";
 * import { openBundle } from "./bundle_io.ts";
 * import { createPredictor } from "./bundle_predictor.ts";
 *
 * const path = "examples/model_bundle.json";
 * const bundle = await openBundle(await Deno.readTextFile(path), path);
 * const predictor = createPredictor(bundle, loadModel);
 * const n = predictor.featureNames.length; // every contract feature, in bundle order
 * const [a, b] = predictor.predict(matrix(2, n, new Float64Array(2 * n).fill(0.5)));
 * assert.ok(Number.isFinite(a) && a === b); // equal rows, equal predictions
 * assert.throws(() => predictor.predict(matrix(1, n - 1)), RangeError); // a feature short
 * ```
 */
export function createPredictor(
  bundle: ModelBundle,
  loadModel: (model: SerializedModel) => Regressor,
): BundlePredictor {
  const featureNames = bundle.features.map((f) => f.name);
  const inputIndex = bundle.preprocessor.inputFeatures.map((name) => {
    const j = featureNames.indexOf(name);
    if (j < 0) throw new BundleError(`bundle: model input "${name}" is not in the feature schema`);
    return j;
  });
  const offsets = bundle.groupOffsets;
  const offsetColumn = offsets ? featureNames.indexOf(offsets.feature) : -1;
  if (offsets && offsetColumn < 0) {
    throw new BundleError(
      `bundle: offset feature "${offsets.feature}" is not in the feature schema`,
    );
  }
  const model = loadModel(bundle.model as SerializedModel);
  // Reused for single rows, as a server predicts them: prediction is synchronous and
  // keeps nothing, and each fresh typed array is a backing store for the GC to sweep.
  const oneRow = matrix(1, inputIndex.length);
  const oneRowTransformed = matrix(1, bundle.preprocessor.outputNames.length);
  return {
    bundle,
    featureNames,
    predict(x: Matrix): Float64Array {
      if (x.cols !== featureNames.length) {
        throw new RangeError(`expected ${featureNames.length} features per row, got ${x.cols}`);
      }
      const single = x.rows === 1;
      const inputs = single ? oneRow : matrix(x.rows, inputIndex.length);
      for (let i = 0; i < x.rows; i++) {
        for (let k = 0; k < inputIndex.length; k++) {
          inputs.data[i * inputIndex.length + k] = x.data[i * x.cols + inputIndex[k]];
        }
      }
      const y = model.predict(
        transform(bundle.preprocessor, inputs, single ? oneRowTransformed : undefined),
      );
      if (offsets) {
        for (let i = 0; i < x.rows; i++) {
          y[i] += offsetOf(offsets, x.data[i * x.cols + offsetColumn]);
        }
      }
      return y;
    },
  };
}

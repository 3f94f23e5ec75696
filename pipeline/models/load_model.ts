/**
 * Loads any serialised model by its family. Loaders are plain TypeScript with no native
 * addon and no training library, so the server and a compiled binary can use them.
 *
 * @module
 */
import { ENSEMBLE, loadEnsemble } from "./ensemble.ts";
import { loadGbm } from "./gbm/gbm_model.ts";
import { loadLinearModel } from "./linear_model.ts";
import { loadMeanBaseline } from "./mean_baseline.ts";
import { loadMedianBaseline } from "./median_baseline.ts";
import { loadNeuralNetwork } from "./neural_network_model.ts";
import { loadRandomForest } from "./random_forest.ts";
import type { Regressor, SerializedModel } from "./regressor.ts";

const LOADERS: Readonly<Record<string, (model: SerializedModel) => Regressor>> = {
  mean: loadMeanBaseline,
  median: loadMedianBaseline,
  ols: (m) => loadLinearModel(m, "ols"),
  ridge: (m) => loadLinearModel(m, "ridge"),
  lasso: (m) => loadLinearModel(m, "lasso"),
  elastic_net: (m) => loadLinearModel(m, "elastic_net"),
  gbm: loadGbm,
  random_forest: loadRandomForest,
  neural_network: loadNeuralNetwork,
  [ENSEMBLE]: (m) => loadEnsemble(m, loadModel),
};

/** The families {@link loadModel} can read. */
export const LOADABLE_FAMILIES: readonly string[] = Object.keys(LOADERS);

/**
 * Restores a fitted model from its serialised form.
 *
 * @example
 * ```ts
 * const model = loadModel({ family: "mean", formatVersion: 1, state: { value: 0.2 } });
 * model.family; // "mean": loaded by the mean baseline's loader
 * ```
 */
export function loadModel(model: SerializedModel): Regressor {
  const loader = LOADERS[model.family];
  if (!loader) {
    throw new Error(
      `unknown model family "${model.family}" (known: ${LOADABLE_FAMILIES.join(", ")})`,
    );
  }
  return loader(model);
}

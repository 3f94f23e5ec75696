/**
 * The list of model families, the one place a family is named: training looks its
 * estimators up here and loading its loaders ({@link familyOf}).
 *
 * @module
 */
import { elasticNetFamily } from "./elastic_net/family.ts";
import { ensembleFamily } from "./ensemble/family.ts";
import { gbmFamily } from "./gbm/family.ts";
import { lassoFamily } from "./lasso/family.ts";
import { meanFamily } from "./mean/family.ts";
import { medianFamily } from "./median/family.ts";
import type { ModelFamily } from "./model_family.ts";
import { ModelFormatError } from "./regressor.ts";
import { neuralNetworkFamily } from "./neural_network/family.ts";
import { olsFamily } from "./ols/family.ts";
import { randomForestFamily } from "./random_forest/family.ts";
import { ridgeFamily } from "./ridge/family.ts";

/** Every model family, by name. */
export const MODEL_FAMILIES: ReadonlyMap<string, ModelFamily> = new Map(
  [
    meanFamily,
    medianFamily,
    olsFamily,
    ridgeFamily,
    lassoFamily,
    elasticNetFamily,
    gbmFamily,
    randomForestFamily,
    neuralNetworkFamily,
    ensembleFamily,
  ].map((family) => [family.name, family]),
);

/**
 * The family called `name`, or an error naming the known ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(familyOf("ridge").name, "ridge");
 * assert.throws(() => familyOf("svm"), /unknown model family "svm" \(known: mean, /);
 * ```
 */
export function familyOf(name: string): ModelFamily {
  const family = MODEL_FAMILIES.get(name);
  if (!family) {
    throw new ModelFormatError(
      `unknown model family "${name}" (known: ${[...MODEL_FAMILIES.keys()].join(", ")})`,
    );
  }
  return family;
}

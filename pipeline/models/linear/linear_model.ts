/**
 * The fitted form shared by every linear family (OLS, ridge, lasso, elastic net):
 * an intercept plus one coefficient per input column, in the original input scale.
 * One loader reads all of them, so serving needs no family-specific code.
 *
 * @module
 */
import { z } from "zod";
import type { Matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { linearExplainer } from "./linear_contributions.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";

/** The families whose serialised state is a {@link LinearState}. */
export const LINEAR_FAMILIES = ["ols", "ridge", "lasso", "elastic_net"] as const;

/** One of {@link LINEAR_FAMILIES}. */
export type LinearFamily = typeof LINEAR_FAMILIES[number];

/** Version of the serialised linear state; bump when its shape changes. */
export const LINEAR_FORMAT_VERSION = 1;

/** The serialised state of a linear model: finite numbers only. */
export const LinearStateSchema = z.strictObject({
  intercept: z.number(),
  coefficients: z.array(z.number()),
});

/** The serialised state of a linear model. */
export type LinearState = z.infer<typeof LinearStateSchema>;

/** A fitted linear model: `predict(x) = intercept + x · coefficients`. */
export interface LinearRegressor extends Regressor {
  readonly family: LinearFamily;
  readonly intercept: number;
  readonly coefficients: readonly number[];
}

/**
 * Wraps coefficients and an intercept as a regressor; rejects non-finite values so a
 * diverged fit fails here rather than at serving time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { linearModel } from "./linear_model.ts";
 *
 * const model = linearModel("ols", new Float64Array([2]), 1); // 2·x + 1
 * assert.deepEqual(model.predict(fromRows([[3]])), Float64Array.of(7));
 * assert.throws(() => linearModel("ols", new Float64Array([NaN]), 1)); // a diverged fit
 * ```
 */
export function linearModel(
  family: LinearFamily,
  coefficients: Float64Array,
  intercept: number,
): LinearRegressor {
  const state = LinearStateSchema.parse({ intercept, coefficients: Array.from(coefficients) });
  const beta = Float64Array.from(coefficients);
  const p = beta.length;
  return {
    family,
    intercept,
    coefficients: state.coefficients,
    predict(x: Matrix): Float64Array {
      if (x.cols !== p) throw new RangeError(`${family} was fitted on ${p} columns, got ${x.cols}`);
      assertNoMissing(x, family);
      const out = new Float64Array(x.rows);
      for (let i = 0; i < x.rows; i++) {
        let sum = intercept;
        for (let j = 0; j < p; j++) sum += x.data[i * p + j] * beta[j];
        out[i] = sum;
      }
      return out;
    },
    serialize: () => ({ family, formatVersion: LINEAR_FORMAT_VERSION, state }),
    explainer: (data) => linearExplainer(beta, intercept, data.inputMean),
  };
}

/**
 * Loads any linear family; pass `family` to also insist on one family.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearModel, loadLinearModel } from "./linear_model.ts";
 * import { ModelFormatError } from "../regressor.ts";
 *
 * const text = JSON.stringify(linearModel("ridge", new Float64Array([2]), 1).serialize());
 * const model = loadLinearModel(JSON.parse(text));
 * assert.deepEqual([model.family, model.coefficients, model.intercept], ["ridge", [2], 1]);
 * assert.throws(() => loadLinearModel(JSON.parse(text), "ols"), ModelFormatError);
 * ```
 */
export function loadLinearModel(model: SerializedModel, family?: LinearFamily): LinearRegressor {
  const known = checkSerialized(model, family ?? LINEAR_FAMILIES, LINEAR_FORMAT_VERSION);
  const state = LinearStateSchema.parse(model.state);
  return linearModel(known, Float64Array.from(state.coefficients), state.intercept);
}

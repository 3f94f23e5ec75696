/**
 * The fitted form of the baselines: one number predicted for every row. Any model worth
 * keeping must beat it.
 *
 * @module
 */
import { z } from "zod";
import type { Matrix } from "../../core/matrix.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";

/** Version of the serialised constant state; bump when its shape changes. */
export const CONSTANT_FORMAT_VERSION = 1;

/** The serialised state of a constant model. */
export const ConstantStateSchema = z.strictObject({ value: z.number() });

/** A regressor that predicts `value` whatever the inputs. */
export interface ConstantRegressor extends Regressor {
  readonly value: number;
}

/**
 * Wraps a constant prediction, stored under `family`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { constantModel } from "./constant_model.ts";
 *
 * const model = constantModel("mean", 0.2);
 * assert.deepEqual(model.predict(matrix(3, 2)), Float64Array.of(0.2, 0.2, 0.2));
 * assert.deepEqual(model.serialize(), { family: "mean", formatVersion: 1, state: { value: 0.2 } });
 * ```
 */
export function constantModel(family: string, value: number): ConstantRegressor {
  const state = ConstantStateSchema.parse({ value });
  return {
    family,
    value,
    predict: (x: Matrix) => new Float64Array(x.rows).fill(value),
    serialize: () => ({ family, formatVersion: CONSTANT_FORMAT_VERSION, state }),
    // No input moves the prediction: every contribution is 0 and the base is the value.
    explainer: () => (row) => ({
      base: value,
      prediction: value,
      values: new Float64Array(row.length),
    }),
  };
}

/**
 * Fits a constant model: `statistic` of the target, checked against the row count of
 * `x` (whose values are otherwise ignored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { fitConstantModel } from "./constant_model.ts";
 *
 * const y = new Float64Array([1, 2, 6]);
 * const mean = (v: Float64Array) => v.reduce((s, t) => s + t, 0) / v.length;
 * assert.equal(fitConstantModel("mean", matrix(3, 2), y, mean).value, 3);
 * assert.throws(() => fitConstantModel("mean", matrix(2, 2), y, mean), RangeError); // 2 rows
 * ```
 */
export function fitConstantModel(
  family: string,
  x: Matrix,
  y: Float64Array,
  statistic: (y: Float64Array) => number,
): ConstantRegressor {
  if (y.length !== x.rows) {
    throw new RangeError(`${family}: x has ${x.rows} rows but y has ${y.length} values`);
  }
  if (y.length === 0) throw new RangeError(`${family}: cannot fit on zero rows`);
  const value = statistic(y);
  if (!Number.isFinite(value)) throw new RangeError(`${family}: fitted value is ${value}`);
  return constantModel(family, value);
}

/** Loads a serialised constant model, insisting that it was stored under `family`. */
export function loadConstantModel(model: SerializedModel, family: string): ConstantRegressor {
  checkSerialized(model, family, CONSTANT_FORMAT_VERSION);
  return constantModel(family, ConstantStateSchema.parse(model.state).value);
}

/**
 * Exact contributions of a linear model: input `j` contributes `β_j (x_j - μ_j)`, where
 * `μ_j` is the training mean of that (preprocessed) input, and the base value is the
 * prediction at the mean, `intercept + β · μ`. For a linear model these are also its
 * interventional Shapley values with the training rows as background.
 *
 * @module
 */
import type { Contributions, RowExplainer } from "../contributions.ts";

/**
 * The explainer of `intercept + x · coefficients`, centred on `inputMean`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearExplainer } from "./linear_contributions.ts";
 *
 * const explain = linearExplainer(Float64Array.of(2, -1), 1, [0.5, 0.25]);
 * const { base, prediction, values } = explain(Float64Array.of(1, 1));
 * assert.deepEqual([base, prediction, [...values]], [1.75, 2, [1, -0.75]]);
 * ```
 */
export function linearExplainer(
  coefficients: Float64Array,
  intercept: number,
  inputMean: readonly number[],
): RowExplainer {
  const p = coefficients.length;
  if (inputMean.length !== p) {
    throw new RangeError(`${p} coefficients but ${inputMean.length} input means`);
  }
  let base = intercept;
  for (let j = 0; j < p; j++) base += coefficients[j] * inputMean[j];
  return (row: Float64Array): Contributions => {
    if (row.length !== p) throw new RangeError(`expected ${p} inputs, got ${row.length}`);
    const values = new Float64Array(p);
    // Summed as `predict` sums, so `prediction` is the model's own output.
    let prediction = intercept;
    for (let j = 0; j < p; j++) {
      if (row[j] !== row[j]) throw new RangeError(`input ${j} is missing (NaN)`);
      prediction += row[j] * coefficients[j];
      values[j] = coefficients[j] * (row[j] - inputMean[j]);
    }
    return { base, prediction, values };
  };
}

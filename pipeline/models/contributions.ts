/**
 * Per-prediction feature contributions: for one row of model inputs, a base value and
 * one contribution per input that sum exactly to the model's prediction (local
 * accuracy). Each family that can explain itself implements {@linkcode Regressor.explainer};
 * what each one's base value and contributions mean is documented there.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";
import { UserError } from "../core/user_error.ts";
import type { Regressor } from "./regressor.ts";

/** What some explainers need from the training rows, in model-input space. */
export interface ExplanationData {
  /** Mean of each model input over the training rows (after preprocessing). */
  readonly inputMean: readonly number[];
  /** A fixed sample of preprocessed training rows, for interventional estimates. */
  readonly background: Matrix;
}

/** One row's explanation, in model-input space. */
export interface Contributions {
  /** The model's prediction with no input known (what it means depends on the family). */
  readonly base: number;
  /** The model's prediction for the row: `base + Σ values` (to rounding). */
  readonly prediction: number;
  /** One contribution per model input. */
  readonly values: Float64Array;
  /**
   * Standard error of each contribution when it is a sampling estimate; absent when the
   * contributions are exact.
   */
  readonly standardError?: Float64Array;
}

/** Explains one row of model inputs (which must hold no NaN unless the family routes it). */
export type RowExplainer = (row: Float64Array) => Contributions;

/** A model that cannot be explained: its family has no method, or it was stored without what one needs. */
export class ExplanationUnavailableError extends UserError {
  override name = "ExplanationUnavailableError";
}

/**
 * The explainer of `model`, or an {@linkcode ExplanationUnavailableError} naming why not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../core/matrix.ts";
 * import { linearModel } from "./linear/linear_model.ts";
 * import { explainerOf } from "./contributions.ts";
 *
 * const model = linearModel("ols", Float64Array.of(2, -1), 1); // 1 + 2a - b
 * const data = { inputMean: [0.5, 0.5], background: fromRows([[0.5, 0.5]]) };
 * const { base, prediction, values } = explainerOf(model, data)(Float64Array.of(1, 0));
 * assert.deepEqual([base, prediction, [...values]], [1.5, 3, [1, 0.5]]);
 * ```
 */
export function explainerOf(model: Regressor, data: ExplanationData): RowExplainer {
  if (!model.explainer) {
    throw new ExplanationUnavailableError(
      `the "${model.family}" model family has no per-prediction explanation`,
    );
  }
  return model.explainer(data);
}

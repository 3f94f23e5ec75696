/**
 * The contract every model family implements: fit on a matrix, predict a matrix,
 * serialise to plain JSON, and load back without any native addon.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";
import type { ExplanationData, RowExplainer } from "./contributions.ts";
import { UserError } from "../core/user_error.ts";

/** A model's state as plain JSON: `family` says which loader reads `state`. */
export interface SerializedModel {
  readonly family: string;
  readonly formatVersion: number;
  readonly state: unknown;
}

/** A fitted model. `predict` must be pure and must not mutate its input. */
export interface Regressor {
  readonly family: string;
  predict(x: Matrix): Float64Array;
  serialize(): SerializedModel;
  /**
   * Per-prediction contributions that sum to the prediction minus a base value
   * (`./contributions.ts`); absent for families without an explanation method.
   */
  explainer?(data: ExplanationData): RowExplainer;
}

/** Fits one model family with its hyperparameters `P`. */
export interface Estimator<P> {
  readonly family: string;
  fit(x: Matrix, y: Float64Array, params: P, seed: number): Regressor | Promise<Regressor>;
}

/** A serialised model this code cannot read: another family, format version or shape. */
export class ModelFormatError extends UserError {
  override name = "ModelFormatError";
}

/**
 * Checks that `model` was stored by one of `families` in `formatVersion`, and returns
 * its family; the one check every loader makes before reading the state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const model = { family: "ridge", formatVersion: 1, state: {} };
 * assert.equal(checkSerialized(model, ["ols", "ridge"], 1), "ridge");
 * assert.throws(() => checkSerialized(model, "gbm", 1), ModelFormatError);
 * assert.throws(() => checkSerialized(model, "ridge", 2), /of format version 1 as "ridge" \(format version 2\)/);
 * ```
 */
export function checkSerialized<F extends string>(
  model: SerializedModel,
  families: F | readonly F[],
  formatVersion: number,
): F {
  const known: readonly string[] = typeof families === "string" ? [families] : families;
  if (!known.includes(model.family) || model.formatVersion !== formatVersion) {
    throw new ModelFormatError(
      `cannot load a "${model.family}" model of format version ${model.formatVersion} as ` +
        `${known.map((f) => `"${f}"`).join(" or ")} (format version ${formatVersion})`,
    );
  }
  return model.family as F;
}

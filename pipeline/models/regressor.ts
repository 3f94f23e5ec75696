/**
 * The contract every model family implements: fit on a matrix, predict a matrix,
 * serialise to plain JSON, and load back without any native addon.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";

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
}

/** Fits one model family with its hyperparameters `P`. */
export interface Estimator<P> {
  readonly family: string;
  fit(x: Matrix, y: Float64Array, params: P, seed: number): Regressor | Promise<Regressor>;
}

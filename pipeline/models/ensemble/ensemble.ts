/**
 * The "ensemble" family: a weighted average of fitted member models of any family.
 * It serialises its members as nested models and loads them through a loader it is
 * given, so it depends on no other family.
 *
 * @module
 */
import { z } from "zod";
import type { Matrix } from "../../core/matrix.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";
import { explainerOf } from "../contributions.ts";
import { ensembleExplainer } from "./ensemble_contributions.ts";

/** The family name under which ensembles are registered and serialised. */
export const ENSEMBLE = "ensemble";

const FORMAT_VERSION = 1;

const StateSchema = z.object({
  weights: z.array(z.number()),
  members: z.array(z.object({
    family: z.string(),
    formatVersion: z.number(),
    state: z.unknown(),
  })),
});

/** An ensemble, exposing its members and their normalised weights. */
export interface EnsembleRegressor extends Regressor {
  /** The averaged models, in weight order. */
  readonly members: readonly Regressor[];
  /** Non-negative weights summing to 1, one per member. */
  readonly weights: readonly number[];
}

/**
 * Checks weights (finite, >= 0, not all 0) and rescales them to sum to 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(normaliseWeights([1, 3]), [0.25, 0.75]);
 * assert.throws(() => normaliseWeights([0, 0]), /not all 0/);
 * ```
 */
export function normaliseWeights(weights: ArrayLike<number>): number[] {
  const given = Array.from(weights);
  const total = given.reduce((s, v) => s + v, 0);
  if (given.some((v) => !Number.isFinite(v) || v < 0) || !(total > 0)) {
    throw new RangeError(`ensemble weights must be finite, >= 0 and not all 0: ${given}`);
  }
  return given.map((v) => v / total);
}

/**
 * The weighted average `Σ weights[m] · predictionOf(m)` of `rows` predictions, with
 * weights normalised by {@linkcode normaliseWeights}; a member of weight 0 is not
 * computed. The one averaging of the project: the ensemble's predictions and its
 * out-of-fold score both come from it, so they agree to the last bit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const members = [Float64Array.of(1, 2), Float64Array.of(3, 4)];
 * assert.deepEqual(weightedAverage(2, [0.5, 0.5], (m) => members[m]), Float64Array.of(2, 3));
 * ```
 */
export function weightedAverage(
  rows: number,
  normalised: readonly number[],
  predictionOf: (member: number) => ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(rows);
  normalised.forEach((weight, m) => {
    if (weight === 0) return;
    const p = predictionOf(m);
    if (p.length !== rows) {
      throw new RangeError(`member ${m} gave ${p.length} predictions for ${rows} rows`);
    }
    for (let i = 0; i < rows; i++) out[i] += weight * p[i];
  });
  return out;
}

/**
 * Averages `members` with `weights` (rescaled to sum to 1; equal when omitted).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { constantModel } from "../constant/constant_model.ts";
 * import { ensemble } from "./ensemble.ts";
 *
 * const blend = ensemble([constantModel("mean", 1), constantModel("median", 2)], [3, 1]);
 * assert.deepEqual(blend.weights, [0.75, 0.25]); // rescaled to sum to 1
 * assert.deepEqual(blend.predict(matrix(2, 3)), Float64Array.of(1.25, 1.25));
 * ```
 */
export function ensemble(
  members: readonly Regressor[],
  weights: ArrayLike<number> = new Array(members.length).fill(1),
): EnsembleRegressor {
  if (members.length === 0) throw new RangeError("an ensemble needs at least one member");
  if (weights.length !== members.length) {
    throw new RangeError(`${weights.length} weights for ${members.length} members`);
  }
  const normalised = normaliseWeights(weights);
  return {
    family: ENSEMBLE,
    members,
    weights: normalised,
    predict: (x: Matrix): Float64Array =>
      weightedAverage(x.rows, normalised, (m) => members[m].predict(x)),
    serialize: () => ({
      family: ENSEMBLE,
      formatVersion: FORMAT_VERSION,
      state: { weights: normalised, members: members.map((m) => m.serialize()) },
    }),
    explainer: (data) =>
      ensembleExplainer(
        normalised,
        members.map((m, i) => normalised[i] === 0 ? undefined : explainerOf(m, data)),
      ),
  };
}

/** Restores an ensemble, loading each member with `loadMember` (e.g. a model registry). */
export function loadEnsemble(
  model: SerializedModel,
  loadMember: (member: SerializedModel) => Regressor,
): EnsembleRegressor {
  checkSerialized(model, ENSEMBLE, FORMAT_VERSION);
  const state = StateSchema.parse(model.state);
  return ensemble(state.members.map(loadMember), state.weights);
}

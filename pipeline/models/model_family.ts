/**
 * What every model family declares, once, in its folder's `family.ts`: its name, how to
 * load a fitted model, and (for the families trained from params) its estimator and the
 * zod schema of its hyperparameters. `families.ts` lists the entries; training and
 * loading both derive from that list.
 *
 * @module
 */
import type { z } from "zod";
import type { Estimator, Regressor, SerializedModel } from "./regressor.ts";

/** Loads a serialised model; `loadMember` loads nested models (an ensemble's members). */
export type FamilyLoader = (
  model: SerializedModel,
  loadMember: (member: SerializedModel) => Regressor,
) => Regressor;

/** How a family is trained: its estimator and the schema of its hyperparameters. */
export interface FamilyTraining {
  readonly estimator: Estimator<Record<string, unknown>>;
  readonly paramsSchema: z.ZodType;
}

/** One model family's declaration. */
export interface ModelFamily {
  readonly name: string;
  readonly load: FamilyLoader;
  /** Absent for families that are built, not trained from params (the ensemble). */
  readonly training?: FamilyTraining;
}

/**
 * Declares a family trained from params; the estimator's own params type is kept
 * apart from the list's, which holds every family.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { constantModel } from "./constant/constant_model.ts";
 *
 * const zero = trainableFamily({
 *   name: "zero",
 *   estimator: { family: "zero", fit: () => constantModel("zero", 0) },
 *   paramsSchema: z.strictObject({}),
 *   load: () => constantModel("zero", 0),
 * });
 * assert.equal(zero.training?.estimator.family, "zero");
 * ```
 */
export function trainableFamily<P>(family: {
  readonly name: string;
  readonly estimator: Estimator<P>;
  readonly paramsSchema: z.ZodType;
  readonly load: FamilyLoader;
}): ModelFamily {
  const { name, estimator, paramsSchema, load } = family;
  if (estimator.family !== name) {
    throw new Error(`family ${name}: its estimator fits "${estimator.family}"`);
  }
  return {
    name,
    load,
    training: {
      estimator: estimator as unknown as Estimator<Record<string, unknown>>,
      paramsSchema,
    },
  };
}

/**
 * What every model family declares, once, in its folder's `family.ts`: its name, how to
 * load a fitted model, and (for the families trained from params) its estimator and the
 * zod schema of its hyperparameters. `families.ts` lists the entries; training and
 * loading both derive from that list.
 *
 * The estimator is imported on first use: the fit code lives in its own module, apart
 * from the params schema and the loader, so that loading a model (the server) never
 * loads how it was fitted.
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

/** How a family is trained: its estimator, imported on demand, and its params schema. */
export interface FamilyTraining {
  readonly estimator: () => Promise<Estimator<Record<string, unknown>>>;
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
 * Declares a family trained from params. The estimator's own params type is kept apart
 * from the list's, which holds every family; its module is imported once, on the first
 * call, and must fit the family it is declared for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { constantModel } from "./constant/constant_model.ts";
 * import { trainableFamily } from "./model_family.ts";
 *
 * const zero = trainableFamily({
 *   name: "zero",
 *   estimator: () => Promise.resolve({ family: "zero", fit: () => constantModel("zero", 0) }),
 *   paramsSchema: z.strictObject({}),
 *   load: () => constantModel("zero", 0),
 * });
 * assert.equal((await zero.training!.estimator()).family, "zero");
 * ```
 */
export function trainableFamily<P>(family: {
  readonly name: string;
  readonly estimator: () => Promise<Estimator<P>>;
  readonly paramsSchema: z.ZodType;
  readonly load: FamilyLoader;
}): ModelFamily {
  const { name, paramsSchema, load } = family;
  let loaded: Promise<Estimator<Record<string, unknown>>> | undefined;
  const estimator = () =>
    loaded ??= family.estimator().then((found) => {
      if (found.family !== name) {
        throw new Error(`family ${name}: its estimator fits "${found.family}"`);
      }
      return found as unknown as Estimator<Record<string, unknown>>;
    });
  return { name, load, training: { estimator, paramsSchema } };
}

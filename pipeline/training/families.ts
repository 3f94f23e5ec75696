/**
 * The trainable model families, as training sees them: each one's estimator and the zod
 * schema of its hyperparameters, from the list in `models/families.ts`.
 *
 * @module
 */
import { parseWith, SchemaError } from "../config/schema_error.ts";
import { MODEL_FAMILIES } from "../models/families.ts";
import type { FamilyTraining } from "../models/model_family.ts";

/** The names of the families that are trained from params, in declaration order. */
export const TRAINABLE_FAMILIES: readonly string[] = [...MODEL_FAMILIES.values()]
  .filter((family) => family.training).map((family) => family.name);

/**
 * Looks a trainable family up, naming the known ones when `name` is not among them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(getFamily("ridge", "train.candidates[3]").estimator.family, "ridge");
 * assert.throws(() => getFamily("ensemble", "x"), /x: unknown family "ensemble"/);
 * ```
 */
export function getFamily(name: string, source: string): FamilyTraining {
  const training = MODEL_FAMILIES.get(name)?.training;
  if (!training) {
    throw new SchemaError(
      `${source}: unknown family "${name}" (known: ${TRAINABLE_FAMILIES.join(", ")})`,
    );
  }
  return training;
}

/** Validates hyperparameters with the family's schema; `source` names them in errors. */
export function parseFamilyParams(
  name: string,
  params: unknown,
  source: string,
): Record<string, unknown> {
  return parseWith(getFamily(name, source).paramsSchema, params, source) as Record<
    string,
    unknown
  >;
}

/**
 * The trainable model families, as training sees them: each one's estimator and the zod
 * schema of its hyperparameters, from the list in `models/families.ts`.
 *
 * @module
 */
import type { z } from "zod";
import { parseWith, SchemaError } from "../config/schema_error.ts";
import { MODEL_FAMILIES } from "../models/families.ts";
import type { FamilyTraining } from "../models/model_family.ts";
import type { Estimator } from "../models/regressor.ts";

/** The names of the families that are trained from params, in declaration order. */
const TRAINABLE = [...MODEL_FAMILIES.values()].filter((family) => family.training)
  .map((family) => family.name);

function trainingOf(name: string, source: string): FamilyTraining {
  const training = MODEL_FAMILIES.get(name)?.training;
  if (!training) {
    throw new SchemaError(`${source}: unknown family "${name}" (known: ${TRAINABLE.join(", ")})`);
  }
  return training;
}

/** A trainable family's estimator, its fit code imported, and its params schema. */
export interface TrainableFamily {
  readonly estimator: Estimator<Record<string, unknown>>;
  readonly paramsSchema: z.ZodType;
}

/**
 * Looks a trainable family up, naming the known ones when `name` is not among them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { familyForTraining } from "./trainable_families.ts";
 *
 * assert.equal((await familyForTraining("ridge", "train.candidates[3]")).estimator.family, "ridge");
 * await assert.rejects(familyForTraining("ensemble", "x"), /x: unknown family "ensemble"/);
 * ```
 */
export async function familyForTraining(name: string, source: string): Promise<TrainableFamily> {
  const training = trainingOf(name, source);
  return { estimator: await training.estimator(), paramsSchema: training.paramsSchema };
}

/** Validates hyperparameters with the family's schema; `source` names them in errors. */
export function parseFamilyParams(
  name: string,
  params: unknown,
  source: string,
): Record<string, unknown> {
  return parseWith(trainingOf(name, source).paramsSchema, params, source) as Record<
    string,
    unknown
  >;
}

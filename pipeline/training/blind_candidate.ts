/**
 * The fairness comparison's second candidate: the selected configuration (the same
 * family, or the same ensemble members and weights, params grids and seed)
 * cross-validated again (`cross_validate_selected.ts`) on the development folds without
 * the sensitive features (the race-composition group and any
 * proxies named in `train.fairness`), so the model card can show what leaving them out
 * costs in accuracy and buys in equal error between groups.
 *
 * @module
 */
import type { FairnessParams } from "../config/params_schema.ts";
import { selectColumns } from "../core/matrix.ts";
import { UserError } from "../core/user_error.ts";
import { FEATURE_GROUPS } from "../data/feature_groups.ts";
import type { TrainingData } from "./cross_validate.ts";

/**
 * The features the blind candidate leaves out: every feature of the sensitive groups and
 * the proxies. An unknown group is a configuration error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FairnessParamsSchema } from "../config/params_schema.ts";
 *
 * const params = FairnessParamsSchema.parse({ proxies: ["PctIlleg"] });
 * assert.deepEqual(sensitiveFeatures(params), [
 *   "racepctblack", "racePctWhite", "racePctAsian", "racePctHisp", "PctIlleg",
 * ]);
 * ```
 */
export function sensitiveFeatures(params: FairnessParams): string[] {
  const unknown = params.sensitive_groups.filter((g) => !(g in FEATURE_GROUPS));
  if (unknown.length > 0) {
    throw new UserError(
      `train.fairness.sensitive_groups: unknown feature group(s) ${unknown.join(", ")}; ` +
        `known: ${Object.keys(FEATURE_GROUPS).join(", ")}`,
    );
  }
  return [...params.sensitive_groups.flatMap((g) => FEATURE_GROUPS[g]), ...params.proxies];
}

/** The training data without the `drop` features (and indicators or interactions of them). */
export function withoutFeatures(data: TrainingData, drop: ReadonlySet<string>): TrainingData {
  const kept = data.spec.inputFeatures.flatMap((f, j) => (drop.has(f) ? [] : [j]));
  return {
    ...data,
    x: selectColumns(data.x, kept),
    spec: {
      inputFeatures: kept.map((j) => data.spec.inputFeatures[j]),
      indicators: data.spec.indicators.filter((f) => !drop.has(f)),
      interactions: data.spec.interactions.filter(([a, b]) => !drop.has(a) && !drop.has(b)),
    },
  };
}

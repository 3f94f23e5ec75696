/**
 * The fairness comparison's second candidate: the selected configuration (the same
 * family, or the same ensemble members, params grids and seed) cross-validated again on
 * the same folds without the sensitive features (the race-composition group and any
 * proxies named in `train.fairness`), so the model card can show what leaving them out
 * costs in accuracy and buys in equal error between groups.
 *
 * @module
 */
import type { FairnessParams, TrainParams } from "../config/params_schema.ts";
import { selectColumns } from "../core/matrix.ts";
import { UserError } from "../core/user_error.ts";
import { FEATURE_GROUPS } from "../data/feature_groups.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { ENSEMBLE } from "../models/ensemble/ensemble.ts";
import {
  type CandidateResult,
  crossValidate,
  type Progress,
  type TrainingData,
} from "./cross_validate.ts";
import { candidateNames, ensembleResult, type Selection } from "./select_model.ts";

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

/** Cross-validates the selected configuration on `data` (already without the sensitive features). */
export async function crossValidateSelected(
  selection: Selection,
  params: TrainParams,
  data: TrainingData,
  splits: readonly FoldRows[],
  progress: Progress,
  suffix: string,
): Promise<CandidateResult> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const run = (name: string) => {
    const i = names.indexOf(name);
    return crossValidate(
      `${name} ${suffix}`,
      params.candidates[i],
      data,
      splits,
      params.seed,
      progress,
      `train.candidates[${i}]`,
    );
  };
  if (selection.best.name !== ENSEMBLE) {
    return { ...(await run(selection.best.name)), name: `${selection.best.name} ${suffix}` };
  }
  const members: CandidateResult[] = [];
  for (const name of selection.ensembleMembers) members.push(await run(name));
  return { ...ensembleResult(members, data, splits), name: `${ENSEMBLE} ${suffix}` };
}

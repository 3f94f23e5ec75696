/**
 * Cross-validates the selected configuration again, as it was chosen: the same family,
 * or the same ensemble members blended with the weights learned in selection (fixed, not
 * relearned). Used for the pooled out-of-fold score of the final configuration on every
 * CV fold, and for the fairness comparison on other features.
 *
 * @module
 */
import type { TrainParams } from "../config/params_schema.ts";
import { foldSplits } from "../folds/fold_split.ts";
import { ENSEMBLE } from "../models/ensemble/ensemble.ts";
import type { CandidateResult, Progress, TrainingData } from "./cross_validate.ts";
import type { CvRunner } from "./cv_job.ts";
import { ensembleResult } from "./ensemble_result.ts";
import { selectedParts } from "./fit_selected.ts";
import { candidateNames, type Selection } from "./select_model.ts";

/**
 * Cross-validates `selection.best`'s configuration over `cvFolds` on `run`, its parts
 * side by side, without the `drop` features; the result is named `name`.
 */
export async function crossValidateSelected(
  selection: Selection,
  params: TrainParams,
  data: TrainingData,
  cvFolds: readonly number[],
  progress: Progress,
  name: string,
  run: CvRunner,
  drop: readonly string[] = [],
): Promise<CandidateResult> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const results = await Promise.all(
    selectedParts(selection).map((part) => {
      const i = names.indexOf(part);
      return run({
        name: `${part} (${name})`,
        candidate: params.candidates[i],
        cvFolds,
        seed: params.seed,
        source: `train.candidates[${i}]`,
        drop,
      }, progress);
    }),
  );
  if (selection.best.name !== ENSEMBLE) return { ...results[0], name };
  const fixed = () => [...selection.ensembleWeights];
  const splits = foldSplits(data.folds, cvFolds);
  return { ...ensembleResult(results, data, splits, fixed).result, name };
}

/**
 * Cross-validates the selected configuration again, as it was chosen: the same family,
 * or the same ensemble members blended with the weights learned in selection (fixed, not
 * relearned). Used for the pooled out-of-fold score of the final configuration on every
 * CV fold, and for the fairness comparison on other features.
 *
 * @module
 */
import type { TrainParams } from "../config/params_schema.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { ENSEMBLE } from "../models/ensemble/ensemble.ts";
import {
  type CandidateResult,
  crossValidate,
  type FittedCandidate,
  type Progress,
  type TrainingData,
} from "./cross_validate.ts";
import { ensembleResult } from "./ensemble_result.ts";
import { assembleFit, selectedParts } from "./fit_selected.ts";
import { candidateNames, type Selection } from "./select_model.ts";

/** The configuration's result, and its fit for the fold asked for. */
export interface SelectedCv {
  readonly result: CandidateResult;
  /** The fit that predicted `keepFold` (trained on the other folds), when asked for. */
  readonly kept?: FittedCandidate;
}

/**
 * Cross-validates `selection.best`'s configuration on `data` over `splits`; the result
 * is named `name`. With `keepFold`, the fit that predicted that fold is returned.
 */
export async function crossValidateSelected(
  selection: Selection,
  params: TrainParams,
  data: TrainingData,
  splits: readonly FoldRows[],
  progress: Progress,
  name: string,
  keepFold?: number,
): Promise<SelectedCv> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const results: CandidateResult[] = [];
  const kept: FittedCandidate[] = [];
  for (const part of selectedParts(selection)) {
    const i = names.indexOf(part);
    results.push(
      await crossValidate(
        `${part} (${name})`,
        params.candidates[i],
        data,
        splits,
        params.seed,
        progress,
        `train.candidates[${i}]`,
        (fold, fitted) => {
          if (fold === keepFold) kept.push(fitted);
        },
      ),
    );
  }
  const keptFit = kept.length > 0 ? assembleFit(selection, kept) : undefined;
  if (selection.best.name !== ENSEMBLE) {
    return { result: { ...results[0], name }, kept: keptFit };
  }
  const fixed = () => [...selection.ensembleWeights];
  const { result } = ensembleResult(results, data, splits, fixed);
  return { result: { ...result, name }, kept: keptFit };
}

/**
 * Fits the selected candidate on a set of rows: a single family directly, the ensemble
 * by fitting each member on the same rows and blending them, with the weights learned
 * in selection, over one shared preprocessor (fill values depend only on the rows, so
 * members would fit it alike).
 *
 * @module
 */
import type { TrainParams } from "../config/params_schema.ts";
import { ENSEMBLE, ensemble } from "../models/ensemble/ensemble.ts";
import { fitCandidate, type FittedCandidate, type TrainingData } from "./cross_validate.ts";
import { candidateNames, type Selection } from "./select_model.ts";

/** The names of the candidates `selection.best` is made of: itself, or the ensemble's members. */
export function selectedParts(selection: Selection): readonly string[] {
  return selection.best.name === ENSEMBLE ? selection.ensembleMembers : [selection.best.name];
}

/**
 * The selected model from the fits of its parts ({@linkcode selectedParts}, same order):
 * the one fit, or the ensemble of them with the selection's weights.
 */
export function assembleFit(
  selection: Selection,
  parts: readonly FittedCandidate[],
): FittedCandidate {
  if (selection.best.name !== ENSEMBLE) return parts[0];
  const names = selection.ensembleMembers;
  return {
    preprocessor: parts[0].preprocessor,
    model: ensemble(parts.map((m) => m.model), selection.ensembleWeights),
    params: Object.fromEntries(names.map((n, i) => [n, parts[i].params])),
    members: names.map((name, i) => ({ name, fitted: parts[i] })),
  };
}

/** Fits `selection.best` on `rows`, with the same seed and tuning as in CV. */
export async function fitSelected(
  selection: Selection,
  params: TrainParams,
  data: TrainingData,
  rows: Int32Array,
): Promise<FittedCandidate> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const parts: FittedCandidate[] = [];
  for (const name of selectedParts(selection)) {
    const i = names.indexOf(name);
    parts.push(
      await fitCandidate(params.candidates[i], data, rows, params.seed, `train.candidates[${i}]`),
    );
  }
  return assembleFit(selection, parts);
}

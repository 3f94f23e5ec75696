/**
 * Fits the selected candidate on a set of rows: a single family directly, the ensemble
 * by fitting each member on the same rows and averaging them over one shared
 * preprocessor (fill values depend only on the rows, so members would fit it alike).
 *
 * @module
 */
import type { TrainParams } from "../config/params_schema.ts";
import { ENSEMBLE, ensemble } from "../models/ensemble/ensemble.ts";
import { fitCandidate, type FittedCandidate, type TrainingData } from "./cross_validate.ts";
import { candidateNames, type Selection } from "./select_model.ts";

/** Fits `selection.best` on `rows`, with the same seed and tuning as in CV. */
export async function fitSelected(
  selection: Selection,
  params: TrainParams,
  data: TrainingData,
  rows: Int32Array,
): Promise<FittedCandidate> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const fitByName = (name: string) => {
    const i = names.indexOf(name);
    return fitCandidate(params.candidates[i], data, rows, params.seed, `train.candidates[${i}]`);
  };
  if (selection.best.name !== ENSEMBLE) return fitByName(selection.best.name);
  const members: FittedCandidate[] = [];
  for (const name of selection.ensembleMembers) members.push(await fitByName(name));
  return {
    preprocessor: members[0].preprocessor,
    model: ensemble(members.map((m) => m.model)),
    params: Object.fromEntries(selection.ensembleMembers.map((n, i) => [n, members[i].params])),
    members: selection.ensembleMembers.map((name, i) => ({ name, fitted: members[i] })),
  };
}

/**
 * The "ensemble" family's entry: built by model selection from fitted members, not
 * trained from params, so it declares a loader only.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { ENSEMBLE, loadEnsemble } from "./ensemble.ts";

/** The weighted average of fitted members: loader only. */
export const ensembleFamily: ModelFamily = {
  name: ENSEMBLE,
  load: (model, loadMember) => loadEnsemble(model, loadMember),
};

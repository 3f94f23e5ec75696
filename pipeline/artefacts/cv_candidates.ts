/**
 * `reports/cv_candidates.json`, written by `train` (a plain DVC output, kept in git): the
 * protocol, every candidate's cross-validation summary on the development folds (the
 * figures the selection was made by), the ensemble's members and weights, and the final
 * configuration's summary over every CV fold. It is not a metrics file, so that
 * `dvc metrics show` stays a short table of the selected model (`cv_metrics.ts`).
 * Timings are left out (they change with every run and are in each candidate's MLflow
 * run), so a rerun with the same result leaves the file unchanged. Read by `evaluate`
 * and `register` for the report and the model card.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

const Summary = z.record(z.string(), z.number());

/** The candidates file. */
export const CvCandidatesSchema = z.strictObject({
  /** Which folds each set of figures comes from. */
  protocol: z.strictObject({
    /** The folds every candidate is cross-validated on and selected by (the held-out one left out). */
    development_folds: z.array(z.number().int()),
    /** The fold scored once by the fit on the development folds. */
    holdout_fold: z.number().int(),
    /** The folds of the final configuration's pooled out-of-fold figures. */
    cv_folds: z.array(z.number().int()),
  }),
  /** The ensemble's members (empty when the ensemble is off). */
  ensemble_members: z.array(z.string()),
  /** Their weights, learned on the development folds' out-of-fold predictions. */
  ensemble_weights: z.array(z.number()),
  /** How the weights were learned (`train.ensemble.method`). */
  ensemble_method: z.string(),
  /** Each candidate's flat summary (`training/summarize_results.ts`) on the development folds, without timings. */
  candidates: z.record(z.string(), Summary),
  /** The selected configuration's summary over every CV fold. */
  final: z.strictObject({ name: z.string(), summary: Summary }),
  /**
   * The served model's group offsets (`bundle/group_offsets.ts`), when the configuration
   * has them: the feature, how many levels got one, and the shrinkage.
   */
  group_offsets: z.strictObject({
    feature: z.string(),
    levels: z.number().int().min(0),
    shrinkage: z.number().nullable(),
  }).optional(),
});

/** Checked candidate summaries. */
export type CvCandidates = z.infer<typeof CvCandidatesSchema>;

/** Summary keys that measure the run, not the model: left out of the file. */
export const TIMING_KEYS: readonly string[] = ["seconds"];

/**
 * A summary without its timings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(withoutTimings({ rmse: 0.136, seconds: 0.9 }), { rmse: 0.136 });
 * ```
 */
export function withoutTimings(summary: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([key]) => !TIMING_KEYS.includes(key)));
}

/** What the file is made from. */
export interface CvCandidatesInputs {
  readonly protocol: CvCandidates["protocol"];
  readonly summaries: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly ensembleMembers: readonly string[];
  readonly ensembleWeights: readonly number[];
  readonly ensembleMethod: string;
  readonly final: { readonly name: string; readonly summary: Readonly<Record<string, number>> };
  readonly groupOffsets?: CvCandidates["group_offsets"];
}

/**
 * The file's content: the summaries without their timings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const file = cvCandidates({
 *   protocol: { development_folds: [1, 2], holdout_fold: 3, cv_folds: [1, 2, 3] },
 *   summaries: { ridge: { rmse: 0.136, seconds: 0.9 } },
 *   ensembleMembers: [],
 *   ensembleWeights: [],
 *   ensembleMethod: "nnls",
 *   final: { name: "ridge", summary: { rmse: 0.134, seconds: 1.1 } },
 * });
 * assert.deepEqual(file.candidates, { ridge: { rmse: 0.136 } });
 * assert.deepEqual(file.final, { name: "ridge", summary: { rmse: 0.134 } });
 * ```
 */
export function cvCandidates(inputs: CvCandidatesInputs): CvCandidates {
  return {
    protocol: inputs.protocol,
    ensemble_members: [...inputs.ensembleMembers],
    ensemble_weights: [...inputs.ensembleWeights],
    ensemble_method: inputs.ensembleMethod,
    candidates: Object.fromEntries(
      Object.entries(inputs.summaries).map(([name, summary]) => [name, withoutTimings(summary)]),
    ),
    final: { name: inputs.final.name, summary: withoutTimings(inputs.final.summary) },
    ...(inputs.groupOffsets ? { group_offsets: inputs.groupOffsets } : {}),
  };
}

/** The candidates file. */
export const CV_CANDIDATES = jsonArtefact("reports/cv_candidates.json", CvCandidatesSchema);

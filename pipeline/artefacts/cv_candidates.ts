/**
 * `reports/cv_candidates.json`, written by `train` (a plain DVC output, kept in git): every
 * candidate's cross-validation summary and the ensemble's members. It is not a metrics
 * file, so that `dvc metrics show` stays a short table of the selected model
 * (`cv_metrics.ts`). Timings are left out (they change with every run and are in each
 * candidate's MLflow run), so a rerun with the same result leaves the file unchanged.
 * Read by `register` for the model card.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The candidates file. */
export const CvCandidatesSchema = z.strictObject({
  /** The ensemble's members (empty when the ensemble is off). */
  ensemble_members: z.array(z.string()),
  /** Each candidate's flat summary (`training/summarize_results.ts`), without timings. */
  candidates: z.record(z.string(), z.record(z.string(), z.number())),
});

/** Checked candidate summaries. */
export type CvCandidates = z.infer<typeof CvCandidatesSchema>;

/** Summary keys that measure the run, not the model: left out of the file. */
export const TIMING_KEYS: readonly string[] = ["seconds"];

/**
 * The file's content: the summaries without their timings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const file = cvCandidates({ ridge: { rmse: 0.136, seconds: 0.9 } }, []);
 * assert.deepEqual(file, { ensemble_members: [], candidates: { ridge: { rmse: 0.136 } } });
 * ```
 */
export function cvCandidates(
  summaries: Readonly<Record<string, Readonly<Record<string, number>>>>,
  ensembleMembers: readonly string[],
): CvCandidates {
  const candidates = Object.fromEntries(
    Object.entries(summaries).map(([name, summary]) => [
      name,
      Object.fromEntries(Object.entries(summary).filter(([key]) => !TIMING_KEYS.includes(key))),
    ]),
  );
  return { ensemble_members: [...ensembleMembers], candidates };
}

/** The candidates file. */
export const CV_CANDIDATES = jsonArtefact("reports/cv_candidates.json", CvCandidatesSchema);

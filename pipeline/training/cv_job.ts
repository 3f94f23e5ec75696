/**
 * A cross-validation as data, so that it can run in this thread or in a worker
 * (`cv_pool.ts`): which candidate, on which folds, on which features.
 *
 * @module
 */
import type { Candidate } from "../config/params_schema.ts";
import { foldSplits } from "../folds/fold_split.ts";
import { withoutFeatures } from "./blind_candidate.ts";
import {
  type CandidateResult,
  crossValidate,
  type Progress,
  type TrainingData,
} from "./cross_validate.ts";

/** One candidate's cross-validation. */
export interface CvJob {
  readonly name: string;
  readonly candidate: Candidate;
  /** The folds, each the test fold once (`folds/fold_split.ts`'s `foldSplits`). */
  readonly cvFolds: readonly number[];
  readonly seed: number;
  /** Where the candidate is configured, for error messages (`train.candidates[3]`). */
  readonly source: string;
  /** Input features left out (the fairness comparison's); none when absent. */
  readonly drop?: readonly string[];
}

/** Runs a job, reporting progress per fold. */
export type CvRunner = (job: CvJob, progress: Progress) => Promise<CandidateResult>;

/**
 * Runs `job` on `data` in this thread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CandidateSchema } from "../config/params_schema.ts";
 * import { fromRows } from "../core/matrix.ts";
 *
 * const data = {
 *   x: fromRows([[1], [2], [3], [4]]),
 *   y: Float64Array.of(1, 2, 3, 4),
 *   folds: Float64Array.of(1, 2, 1, 2),
 *   spec: { inputFeatures: ["a"], indicators: [], interactions: [] },
 * };
 * const candidate = CandidateSchema.parse({ family: "mean" });
 * const job = { name: "mean", candidate, cvFolds: [1, 2], seed: 0, source: "test" };
 * const result = await runCvJob(data, job, () => {});
 * assert.deepEqual(Array.from(result.oof), [3, 2, 3, 2]); // the other fold's mean
 * ```
 */
export function runCvJob(
  data: TrainingData,
  job: CvJob,
  progress: Progress,
): Promise<CandidateResult> {
  const used = job.drop?.length ? withoutFeatures(data, new Set(job.drop)) : data;
  return crossValidate(
    job.name,
    job.candidate,
    used,
    foldSplits(data.folds, job.cvFolds),
    job.seed,
    progress,
    job.source,
  );
}

/** A runner of jobs on `data` in this thread, one after another as they are awaited. */
export function inProcessRunner(data: TrainingData): CvRunner {
  return (job, progress) => runCvJob(data, job, progress);
}

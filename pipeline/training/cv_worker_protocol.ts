/**
 * The messages between the training thread and a cross-validation worker
 * (`cv_pool.ts`, `cv_worker.ts`): the data once, then jobs, each answered with progress
 * lines and its result or failure.
 *
 * @module
 */
import type { CandidateResult, TrainingData } from "./cross_validate.ts";
import type { CvJob } from "./cv_job.ts";

/** From the training thread. */
export type ToCvWorker =
  | { readonly kind: "data"; readonly data: TrainingData }
  | { readonly kind: "job"; readonly id: number; readonly job: CvJob };

/** From a worker. */
export type FromCvWorker =
  | { readonly kind: "progress"; readonly id: number; readonly line: string }
  | { readonly kind: "done"; readonly id: number; readonly result: CandidateResult }
  | {
    readonly kind: "failed";
    readonly id: number;
    readonly message: string;
    /** Whether the error was a UserError (a configuration problem, shown without a trace). */
    readonly user: boolean;
  };

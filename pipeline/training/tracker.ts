/**
 * What the training loop reports to an experiment tracker. The stage wires an MLflow
 * implementation; keeping the loop behind this interface keeps it free of HTTP.
 *
 * @module
 */
import type { CandidateResult, FittedCandidate } from "./cross_validate.ts";

/** Receives the training loop's results as they are produced. */
export interface Tracker {
  /**
   * One candidate's cross-validation outcome and its summary metrics; a tuned candidate's
   * folds carry their searches (`FoldResult.tuning`, see `study.ts`'s `foldStudies`).
   */
  candidate(result: CandidateResult, summary: Record<string, number>): Promise<void>;
  /** The final fit of the selected candidate, with its tuning trials if any. */
  final(name: string, fitted: FittedCandidate, summary: Record<string, number>): Promise<void>;
}

/** A tracker that records nothing. */
export const NO_TRACKER: Tracker = {
  candidate: () => Promise.resolve(),
  final: () => Promise.resolve(),
};

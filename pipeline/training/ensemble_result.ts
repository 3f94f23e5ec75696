/**
 * The ensemble as a cross-validated candidate: its members' out-of-fold predictions
 * blended with weights that never saw the row being predicted (for each test fold, the
 * weights are learned on the other folds' out-of-fold rows), so that its score compares
 * fairly with a single candidate's. The weights of the fit that is kept are learned on
 * every cross-validated row.
 *
 * @module
 */
import type { EnsembleParams } from "../config/params_schema.ts";
import { selectValues } from "../core/matrix.ts";
import { regressionMetrics } from "../core/statistics.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { ENSEMBLE, normaliseWeights, weightedAverage } from "../models/ensemble/ensemble.ts";
import { stackingWeights } from "../models/ensemble/stacking_weights.ts";
import type { CandidateResult, TrainingData } from "./cross_validate.ts";

/** Weights of the members learned on the out-of-fold predictions of `rows`. */
export type LearnWeights = (rows: Int32Array) => number[];

/** An ensemble's cross-validated result and the weights learned on all its rows. */
export interface EnsembleOutcome {
  readonly result: CandidateResult;
  readonly weights: readonly number[];
}

/**
 * How `params` learns the weights of `members` on some rows: NNLS on their out-of-fold
 * predictions, or equal weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EnsembleParamsSchema } from "../config/params_schema.ts";
 *
 * const member = (oof: number[]) => ({ oof: Float64Array.from(oof) }) as never;
 * const members = [member([1, 2]), member([3, 4])];
 * const y = Float64Array.of(3, 4);
 * const average = weightLearner(EnsembleParamsSchema.parse({ method: "average" }), members, y);
 * assert.deepEqual(average(Int32Array.of(0, 1)), [0.5, 0.5]);
 * const nnls = weightLearner(EnsembleParamsSchema.parse({ method: "nnls" }), members, y);
 * assert.deepEqual(nnls(Int32Array.of(0, 1)), [0, 1]); // the second member is exact
 * ```
 */
export function weightLearner(
  params: EnsembleParams,
  members: readonly CandidateResult[],
  y: Float64Array,
): LearnWeights {
  if (params.method === "average") return () => normaliseWeights(members.map(() => 1));
  return (rows) =>
    stackingWeights(
      members.map((m) => selectValues(m.oof, rows)),
      selectValues(y, rows),
      { ridge: params.ridge },
    );
}

/**
 * Blends `members` (cross-validated on `splits`) with weights from `learn`: each test
 * fold's with weights learned on the other folds' rows, and the returned `weights` on
 * every tested row. Pass a `learn` that ignores its rows to score fixed weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldSplits } from "../folds/fold_split.ts";
 *
 * const folds = Float64Array.of(1, 2, 1, 2);
 * const member = (name: string, oof: number[]) => ({
 *   name, family: name, oof: Float64Array.from(oof), pooled: {} as never, elapsedMs: 0,
 *   folds: [1, 2].map((fold) => ({ fold, metrics: {} as never, params: {}, fitMs: 0 })),
 * });
 * const data = { x: { rows: 4, cols: 0, data: new Float64Array(0) }, y: Float64Array.of(1, 2, 3, 4), folds, spec: { inputFeatures: [], indicators: [], interactions: [] } };
 * const splits = foldSplits(folds, [1, 2]);
 * const fixed = () => [0.5, 0.5];
 * const { result, weights } = ensembleResult([member("a", [1, 2, 3, 4]), member("b", [3, 4, 5, 6])], data, splits, fixed);
 * assert.deepEqual(weights, [0.5, 0.5]);
 * assert.deepEqual(Array.from(result.oof), [2, 3, 4, 5]);
 * ```
 */
export function ensembleResult(
  members: readonly CandidateResult[],
  data: TrainingData,
  splits: readonly FoldRows[],
  learn: LearnWeights,
): EnsembleOutcome {
  const oof = new Float64Array(data.y.length).fill(NaN);
  const names = members.map((m) => m.name).join(",");
  const folds = splits.map((split, k) => {
    const others = Int32Array.from(
      splits.flatMap((s, j) => (j === k ? [] : Array.from(s.test))),
    );
    const weights = learn(others);
    const blended = weightedAverage(
      split.test.length,
      weights,
      (m) => selectValues(members[m].oof, split.test),
    );
    split.test.forEach((row, i) => oof[row] = blended[i]);
    return {
      fold: split.fold,
      metrics: regressionMetrics(selectValues(data.y, split.test), blended),
      params: { members: names, weights: weights.map((w) => Number(w.toFixed(4))).join(",") },
      fitMs: members.reduce((s, m) => s + m.folds[k].fitMs, 0),
    };
  });
  const tested = Int32Array.from(splits.flatMap((s) => Array.from(s.test)));
  return {
    result: {
      name: ENSEMBLE,
      family: ENSEMBLE,
      oof,
      pooled: regressionMetrics(selectValues(data.y, tested), selectValues(oof, tested)),
      folds,
      elapsedMs: members.reduce((s, m) => s + m.elapsedMs, 0),
    },
    weights: learn(tested),
  };
}

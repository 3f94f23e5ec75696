/**
 * Hyperparameter search by inner cross-validation. It sees only the training rows it is
 * given, so an outer test fold never influences the chosen parameters. Candidates come
 * from search_space.ts (grid or seeded random) and are tried in order until they run
 * out or the time budget does. Estimators that implement `prepare` (models/preparable.ts) do
 * their parameter-independent work once per inner fold instead of once per candidate.
 *
 * @module
 */
import { selectRows, selectValues } from "../core/matrix.ts";
import type { Matrix } from "../core/matrix.ts";
import { rmse } from "../core/statistics.ts";
import { foldSplits } from "../folds/fold_split.ts";
import { isPreparable, type PreparedFit } from "../models/preparable.ts";
import type { Estimator } from "../models/regressor.ts";

/** What to search and how to score it. */
export interface TuningOptions<P> {
  readonly estimator: Estimator<P>;
  /** Parameter sets to try, in order; at least one. */
  readonly candidates: readonly P[];
  /**
   * Inner fold id of each training row, e.g. the data's `fold` column restricted to the
   * training rows, or `seededFoldIds`; at least two distinct ids.
   */
  readonly groups: ArrayLike<number>;
  /** Seed passed to every fit, so candidates differ only by their parameters. */
  readonly seed?: number;
  /** Wall-clock budget in ms; the first candidate is always scored in full. */
  readonly budgetMs?: number;
  /** Loss of out-of-fold predictions, lower is better; RMSE by default. */
  readonly score?: (actual: Float64Array, predicted: Float64Array) => number;
  /** Milliseconds since an arbitrary origin; `performance.now` by default. */
  readonly clock?: () => number;
}

/** How one candidate scored. */
export interface CandidateScore<P> {
  readonly params: P;
  /** Score of the pooled out-of-fold predictions of all inner folds. */
  readonly score: number;
  /** Score of each inner fold's predictions, in ascending fold-id order. */
  readonly foldScores: readonly number[];
}

/** The outcome of a search. */
export interface TuningResult<P> {
  readonly best: P;
  readonly bestScore: number;
  /** Every fully scored candidate, in the order tried. */
  readonly scores: readonly CandidateScore<P>[];
  /** True when the budget ran out before every candidate was scored. */
  readonly stoppedEarly: boolean;
  /** Candidates not (fully) scored because of the budget. */
  readonly skipped: number;
  readonly elapsedMs: number;
}

/**
 * Scores each candidate by inner cross-validation on `(x, y)` and returns the lowest.
 * Ties go to the earlier candidate; a NaN score never wins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../core/matrix.ts";
 * import { ridgeEstimator } from "../models/ridge/ridge.ts";
 * import { RidgeParamsSchema } from "../models/ridge/ridge_model.ts";
 * import { gridCandidates, logSpace } from "./search_space.ts";
 * import { tune } from "./tuning.ts";
 *
 * const x = fromRows([[1], [2], [3], [4], [5], [6]]);
 * const y = new Float64Array([2.1, 3.9, 6.2, 7.8, 10.1, 12]);
 * const result = await tune(x, y, {
 *   estimator: ridgeEstimator,
 *   candidates: gridCandidates(RidgeParamsSchema, { alpha: logSpace(1e-3, 1e3, 13) }),
 *   groups: [1, 2, 3, 1, 2, 3], // inner fold of each row
 *   budgetMs: 60_000,
 * });
 * assert.equal(result.scores.length, 13); // all scored within the budget
 * const lowest = Math.min(...result.scores.map((s) => s.score)); // of the inner-CV RMSEs
 * assert.equal(result.bestScore, lowest);
 * assert.deepEqual(result.best, { alpha: 1e-3 }); // nearly linear data: the weakest penalty wins
 * ```
 */
export async function tune<P>(
  x: Matrix,
  y: Float64Array,
  options: TuningOptions<P>,
): Promise<TuningResult<P>> {
  const { estimator, candidates, groups, seed = 0, budgetMs = Infinity } = options;
  const score = options.score ?? rmse;
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  if (candidates.length === 0) throw new RangeError("tune: no candidates");
  if (groups.length !== x.rows || y.length !== x.rows) {
    throw new RangeError(
      `tune: ${x.rows} rows, ${y.length} targets and ${groups.length} group ids`,
    );
  }
  const ids = [...new Set(Array.from(groups))].sort((a, b) => a - b);
  if (ids.length < 2) throw new RangeError("tune: inner CV needs at least two groups");
  const splits = foldSplits(groups, ids).map((s) => {
    const xTrain = selectRows(x, s.train);
    const yTrain = selectValues(y, s.train);
    // Preparing lazily keeps a tight budget from paying for folds it never reaches.
    let prepared: PreparedFit<P> | undefined;
    const fitOn = (params: P) => {
      if (!isPreparable(estimator)) return estimator.fit(xTrain, yTrain, params, seed);
      prepared ??= estimator.prepare(xTrain, yTrain, seed);
      return prepared(params);
    };
    return { ...s, fitOn, xTest: selectRows(x, s.test), yTest: selectValues(y, s.test) };
  });
  const overBudget = () => clock() - started > budgetMs;
  const scores: CandidateScore<P>[] = [];
  let stoppedEarly = false;
  for (const params of candidates) {
    const oof = new Float64Array(x.rows);
    const foldScores: number[] = [];
    for (const split of splits) {
      if (scores.length > 0 && overBudget()) {
        stoppedEarly = true;
        break;
      }
      const model = await split.fitOn(params);
      const predicted = model.predict(split.xTest);
      split.test.forEach((row, k) => oof[row] = predicted[k]);
      foldScores.push(score(split.yTest, predicted));
    }
    if (stoppedEarly) break;
    scores.push({ params, score: score(y, oof), foldScores });
  }
  const best = scores.reduce((a, b) => (b.score < a.score || Number.isNaN(a.score) ? b : a));
  return {
    best: best.params,
    bestScore: best.score,
    scores,
    stoppedEarly,
    skipped: candidates.length - scores.length,
    elapsedMs: clock() - started,
  };
}

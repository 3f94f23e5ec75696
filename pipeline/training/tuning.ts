/**
 * Hyperparameter search by inner cross-validation. It sees only the training rows it is
 * given, so an outer test fold never influences the chosen parameters. Candidates come
 * from a list (search_space.ts: grid or seeded random) or from a sampler that learns from
 * the trials so far (tpe_sampler.ts); they are tried until the trial budget or the time
 * budget runs out. An optional pruner (median_pruner.ts) stops a trial between inner
 * folds when it is unpromising. Estimators that implement `prepare` (models/preparable.ts)
 * do their parameter-independent work once per inner fold instead of once per candidate.
 *
 * @module
 */
import { selectRows, selectValues } from "../core/matrix.ts";
import type { Matrix } from "../core/matrix.ts";
import { rmse } from "../core/statistics.ts";
import { foldSplits } from "../folds/fold_split.ts";
import { isPreparable, type PreparedFit } from "../models/preparable.ts";
import type { Estimator } from "../models/regressor.ts";
import type { Pruner } from "./median_pruner.ts";
import { listSampler, type Sampler, type Trial } from "./sampler.ts";

/** What to search and how to score it. */
export interface TuningOptions<P> {
  readonly estimator: Estimator<P>;
  /** Parameter sets to try, in order, or a sampler that proposes them; at least one. */
  readonly candidates: readonly P[] | Sampler<P>;
  /** Stops unpromising trials between inner folds; none by default. */
  readonly pruner?: Pruner;
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

/** The outcome of a search. */
export interface TuningResult<P> {
  readonly best: P;
  readonly bestScore: number;
  /** Every trial, complete or pruned, in the order tried. */
  readonly trials: readonly Trial<P>[];
  /** True when the time budget ran out before every planned trial was tried. */
  readonly stoppedEarly: boolean;
  /** Planned trials not tried, or cut short, because of the time budget. */
  readonly skipped: number;
  readonly elapsedMs: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Scores each candidate by inner cross-validation on `(x, y)` and returns the lowest
 * complete one. Ties go to the earlier candidate; a NaN score never wins; the first
 * trial is never pruned.
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
 * assert.equal(result.trials.length, 13); // all scored within the budget
 * const lowest = Math.min(...result.trials.map((s) => s.score)); // of the inner-CV RMSEs
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
  const sampler = "suggest" in candidates ? candidates : listSampler(candidates);
  if (sampler.size === 0) throw new RangeError("tune: no candidates");
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
  const trials: Trial<P>[] = [];
  let stoppedEarly = false;
  while (trials.length < sampler.size) {
    const params = sampler.suggest(trials);
    const oof = new Float64Array(x.rows);
    const foldScores: number[] = [];
    let pruned = false;
    for (const split of splits) {
      if (trials.length > 0 && overBudget()) {
        stoppedEarly = true;
        break;
      }
      const model = await split.fitOn(params);
      const predicted = model.predict(split.xTest);
      split.test.forEach((row, k) => oof[row] = predicted[k]);
      foldScores.push(score(split.yTest, predicted));
      pruned = foldScores.length < splits.length && trials.length > 0 &&
        options.pruner !== undefined && options.pruner(foldScores, trials);
      if (pruned) break;
    }
    if (stoppedEarly) break;
    trials.push(
      pruned
        ? { params, score: mean(foldScores), foldScores, state: "pruned" }
        : { params, score: score(y, oof), foldScores, state: "complete" },
    );
  }
  const complete = trials.filter((t) => t.state === "complete");
  const best = complete.reduce((a, b) => (b.score < a.score || Number.isNaN(a.score) ? b : a));
  return {
    best: best.params,
    bestScore: best.score,
    trials,
    stoppedEarly,
    skipped: sampler.size - trials.length,
    elapsedMs: clock() - started,
  };
}

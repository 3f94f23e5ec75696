/**
 * Honest outer cross-validation of one candidate: for every test fold, the preprocessor,
 * the tuning (inner CV) and the fit see only the other folds' rows.
 *
 * @module
 */
import { type Matrix, selectRows, selectValues } from "../core/matrix.ts";
import { type RegressionMetrics, regressionMetrics } from "../core/statistics.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import {
  fitPreprocessor,
  type FittedPreprocessor,
  type PreprocessorSpec,
  transform,
} from "../features/preprocessor.ts";
import { searchPlan } from "./search_plan.ts";
import { tune, type TuningResult } from "./tuning.ts";
import type { Sampler } from "./sampler.ts";
import type { Regressor } from "../models/regressor.ts";
import { fitSeedBag } from "../models/ensemble/seed_bag.ts";
import type { Candidate } from "../config/params_schema.ts";
import { familyForTraining, parseFamilyParams } from "./trainable_families.ts";

/** The data a candidate is trained on: raw input features, target and fold ids. */
export interface TrainingData {
  readonly x: Matrix;
  readonly y: Float64Array;
  readonly folds: Float64Array;
  readonly spec: PreprocessorSpec;
}

/** One outer fold's outcome. */
export interface FoldResult {
  readonly fold: number;
  readonly metrics: RegressionMetrics;
  readonly params: Record<string, unknown>;
  readonly fitMs: number;
  /** The inner search that chose `params`, when the candidate is tuned. */
  readonly tuning?: TuningResult<Record<string, unknown>>;
}

/** A candidate's cross-validated outcome. */
export interface CandidateResult {
  readonly name: string;
  readonly family: string;
  /** Out-of-fold prediction of every row (NaN for rows in no CV fold). */
  readonly oof: Float64Array;
  readonly pooled: RegressionMetrics;
  readonly folds: readonly FoldResult[];
  readonly elapsedMs: number;
}

/** A fitted candidate with its preprocessor and the search that chose its params. */
export interface FittedCandidate {
  readonly preprocessor: FittedPreprocessor;
  readonly model: Regressor;
  readonly params: Record<string, unknown>;
  readonly tuning?: TuningResult<Record<string, unknown>>;
  /** For an ensemble: each member's own fit, by candidate name. */
  readonly members?: readonly { name: string; fitted: FittedCandidate }[];
}

/** Reports progress of long loops (e.g. a line per fold on stderr). */
export type Progress = (message: string) => void;

/**
 * Fits a candidate on the given rows: preprocessor, inner-CV tuning when a grid or a
 * search is given (inner folds = the rows' own fold ids), then the final fit.
 */
export async function fitCandidate(
  candidate: Candidate,
  data: TrainingData,
  rows: Int32Array,
  seed: number,
  source: string,
): Promise<FittedCandidate> {
  const { estimator, paramsSchema: schema } = await familyForTraining(candidate.family, source);
  const base = parseFamilyParams(candidate.family, candidate.params, `${source}.params`);
  const preprocessor = fitPreprocessor(data.spec, selectRows(data.x, rows));
  const x = transform(preprocessor, selectRows(data.x, rows));
  const y = selectValues(data.y, rows);
  let params = base;
  let tuning: TuningResult<Record<string, unknown>> | undefined;
  const plan = searchPlan(candidate, schema, seed);
  if (plan) {
    tuning = await tune(x, y, {
      estimator,
      candidates: plan.candidates as Sampler<Record<string, unknown>>,
      pruner: plan.pruner,
      groups: selectValues(data.folds, rows),
      seed,
      budgetMs: candidate.tuning_budget_s * 1000,
    });
    params = tuning.best;
  }
  // Tuned once; the chosen params are then fitted with each of the candidate's seeds.
  const model = await fitSeedBag(estimator, x, y, params, seed, candidate.seeds ?? 1);
  return { preprocessor, model, params, tuning };
}

/**
 * Cross-validates a candidate over `splits`, reporting progress per fold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CandidateSchema } from "../config/params_schema.ts";
 * import { fromRows } from "../core/matrix.ts";
 * import { foldSplits } from "../folds/fold_split.ts";
 * import { crossValidate, type TrainingData } from "./cross_validate.ts";
 *
 * const data: TrainingData = {
 *   x: fromRows([[1], [2], [3], [4], [5], [6]]),
 *   y: new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
 *   folds: new Float64Array([1, 2, 3, 1, 2, 3]),
 *   spec: { inputFeatures: ["population"], indicators: [], interactions: [] },
 * };
 * const candidate = CandidateSchema.parse({ family: "ridge", params: { alpha: 1 } });
 * const splits = foldSplits(data.folds, [1, 2, 3]);
 * const lines: string[] = [];
 * const result = await crossValidate("ridge", candidate, data, splits, 42, (l) => lines.push(l));
 * assert.equal(lines.length, 3); // a progress line per fold
 * assert.ok(result.oof.every(Number.isFinite)); // each row predicted by the fold without it
 * assert.ok(result.pooled.rmse < 0.05); // of the out-of-fold predictions of all three folds
 * ```
 */
export async function crossValidate(
  name: string,
  candidate: Candidate,
  data: TrainingData,
  splits: readonly FoldRows[],
  seed: number,
  progress: Progress = () => {},
  source = "train.candidates",
): Promise<CandidateResult> {
  const started = performance.now();
  const oof = new Float64Array(data.y.length).fill(NaN);
  const folds: FoldResult[] = [];
  for (const [k, split] of splits.entries()) {
    const foldStart = performance.now();
    const fitted = await fitCandidate(candidate, data, split.train, seed, source);
    const predicted = fitted.model.predict(
      transform(fitted.preprocessor, selectRows(data.x, split.test)),
    );
    split.test.forEach((row, i) => oof[row] = predicted[i]);
    const metrics = regressionMetrics(selectValues(data.y, split.test), predicted);
    const fitMs = performance.now() - foldStart;
    folds.push({ fold: split.fold, metrics, params: fitted.params, fitMs, tuning: fitted.tuning });
    progress(
      `${name}: fold ${split.fold} (${k + 1}/${splits.length}) rmse ${metrics.rmse.toFixed(4)} ` +
        `in ${(fitMs / 1000).toFixed(1)} s`,
    );
    // A turn of the event loop between folds, so that a SIGTERM's handler (which ends the
    // MLflow runs) runs within a fold's time rather than after the whole training.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const tested = Int32Array.from(splits.flatMap((s) => Array.from(s.test)));
  const pooled = regressionMetrics(selectValues(data.y, tested), selectValues(oof, tested));
  return {
    name,
    family: candidate.family,
    oof,
    pooled,
    folds,
    elapsedMs: performance.now() - started,
  };
}

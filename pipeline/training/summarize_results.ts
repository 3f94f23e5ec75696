/**
 * One candidate's cross-validation summary as flat numbers: pooled out-of-fold metrics
 * and the per-fold mean and standard deviation (the `candidates` of
 * `artefacts/cv_metrics.ts`).
 *
 * @module
 */
import { meanStd } from "../core/statistics.ts";
import type { CandidateResult } from "./cross_validate.ts";

/** One candidate's summary as flat numbers (what `dvc metrics diff` compares). */
export function summarizeResult(result: CandidateResult): Record<string, number> {
  const rmse = meanStd(result.folds.map((f) => f.metrics.rmse));
  const r2 = meanStd(result.folds.map((f) => f.metrics.r2));
  const worst = Math.max(...result.folds.map((f) => f.metrics.rmse));
  return {
    rmse: result.pooled.rmse,
    mae: result.pooled.mae,
    r2: result.pooled.r2,
    mape: result.pooled.mape.value,
    mape_excluded_rows: result.pooled.mape.excluded,
    fold_rmse_mean: rmse.mean,
    fold_rmse_std: rmse.std,
    fold_rmse_max: worst,
    fold_r2_mean: r2.mean,
    fold_r2_std: r2.std,
    seconds: result.elapsedMs / 1000,
  };
}

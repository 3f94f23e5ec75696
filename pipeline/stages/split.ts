/**
 * Stage `split`: declares the cross-validation folds and the held-out fold, checking
 * that every declared fold holds rows.
 *
 * @module
 */
import { loadParams } from "../config/load_params.ts";
import { FOLD } from "../data/catalogue.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { PATHS } from "../paths.ts";
import { runStage, StageError } from "../stage_support/run_stage.ts";

async function main(): Promise<void> {
  const params = await loadParams("split");
  const folds = getColumn(readParquet(PATHS.cleanData), FOLD);
  const rowsPerFold: Record<string, number> = {};
  for (const fold of new Set([...params.cv_folds, params.holdout_fold])) {
    const rows = folds.filter((f) => f === fold).length;
    if (rows === 0) throw new StageError(`split: fold ${fold} has no rows in ${PATHS.cleanData}`);
    rowsPerFold[String(fold)] = rows;
  }
  await SPLIT_PLAN.write({
    cvFolds: params.cv_folds,
    holdoutFold: params.holdout_fold,
    rowsPerFold,
  });
  console.log(`split: ${params.cv_folds.length}-fold CV, fold ${params.holdout_fold} held out`);
}

if (import.meta.main) await runStage("split", main);

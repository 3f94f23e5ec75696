/**
 * Stage `preprocess`: drops the non-predictive columns (keeping `fold` as the split key and
 * `state` as the grouping key), plans the missing-value treatment, reports outliers, and
 * writes the clean table.
 * No statistic is fitted here: fill values are fitted inside each training fold.
 *
 * @module
 */
import { loadParams } from "../config/load_params.ts";
import { featureNames, FOLD, STATE, TARGET } from "../data/catalogue.ts";
import { loadRaw } from "../data/load_raw.ts";
import { fromRaw } from "../data/numeric_table.ts";
import { writeParquet } from "../data/parquet_io.ts";
import { planMissing } from "../features/missing_plan.ts";
import { robustOutliers } from "../features/outliers.ts";
import { PATHS } from "../paths.ts";
import { MISSING_PLAN } from "../artefacts/missing_plan.ts";
import { writeJsonFile } from "../artefacts/json_artefact.ts";
import { runStage } from "../stage_support/run_stage.ts";

async function main(): Promise<void> {
  const params = await loadParams("preprocess");
  const { columns, table } = await loadRaw();
  const features = featureNames(columns);
  const plan = planMissing(new Map(features.map((n) => [n, table.numbers.get(n)!])), params);
  const outliers = plan.kept.map((n) => robustOutliers(n, table.numbers.get(n)!, params.outlier_z));
  const flagged = outliers.filter((o) => o.count > 0);
  await writeParquet(PATHS.cleanData, fromRaw(table, [FOLD, STATE, ...plan.kept, TARGET]));
  await MISSING_PLAN.write(plan);
  await writeJsonFile(PATHS.outlierReport, {
    threshold: params.outlier_z,
    columns_with_outliers: flagged.length,
    total_outliers: flagged.reduce((s, o) => s + o.count, 0),
    columns: flagged.sort((a, b) => b.count - a.count),
  });
  console.log(
    `preprocess: ${plan.kept.length} features kept, ${plan.dropped.length} dropped, ` +
      `${plan.indicators.length} missing indicators (${plan.strategy}); ` +
      `${flagged.length} columns with outliers beyond robust z ${params.outlier_z}`,
  );
}

if (import.meta.main) await runStage("preprocess", main);

/**
 * Stage `features`: selects feature groups, filters near-duplicate features on the
 * development rows (never the held-out fold `split` declared), and writes the feature
 * list with reasons.
 *
 * @module
 */
import { FEATURE_LIST } from "../artefacts/feature_list.ts";
import { MISSING_PLAN } from "../artefacts/missing_plan.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { loadParams } from "../config/load_params.ts";
import { FOLD, STATE, TARGET } from "../data/catalogue.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { selectFeatures } from "../features/select_features.ts";
import { selectValues } from "../core/matrix.ts";
import { splitRows } from "../folds/fold_split.ts";
import { PATHS } from "../paths.ts";
import { runStage } from "../stage_support/run_stage.ts";

async function main(): Promise<void> {
  const params = await loadParams("features");
  const split = await SPLIT_PLAN.read();
  const table = readParquet(PATHS.cleanData);
  const plan = await MISSING_PLAN.read();
  const rows = splitRows(getColumn(table, FOLD), split).development;
  const development = (values: Float64Array) => selectValues(values, rows);
  const candidates = table.names.filter((n) => n !== FOLD && n !== TARGET && n !== STATE);
  const columns = new Map(candidates.map((n) => [n, development(getColumn(table, n))]));
  const selection = selectFeatures(candidates, columns, params);
  await FEATURE_LIST.write({
    ...selection,
    indicators: plan.indicators.filter((n) => selection.features.includes(n)),
  });
  const dropped = selection.decisions.filter((d) => !d.kept);
  console.log(
    `features: ${selection.features.length} selected, ${dropped.length} dropped, ` +
      `${selection.interactions.length} interactions`,
  );
}

if (import.meta.main) await runStage("features", main);

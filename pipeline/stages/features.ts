/**
 * Stage `features`: selects feature groups, filters near-duplicate features on the
 * development rows (never the held-out fold), and writes the feature list with reasons.
 *
 * @module
 */
import { loadParams } from "../config/load_params.ts";
import { FOLD, TARGET } from "../data/catalogue.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import type { MissingPlan } from "../features/missing_plan.ts";
import { selectFeatures } from "../features/select_features.ts";
import { PATHS } from "../paths.ts";
import { runStage } from "./run_stage.ts";
import { readJson, writeJson } from "./write_json.ts";

async function main(): Promise<void> {
  const params = await loadParams("features");
  const { holdout_fold } = await loadParams("split");
  const table = readParquet(PATHS.cleanData);
  const plan = await readJson<MissingPlan>(PATHS.preprocessPlan);
  const folds = getColumn(table, FOLD);
  const development = (values: Float64Array) => values.filter((_, i) => folds[i] !== holdout_fold);
  const candidates = table.names.filter((n) => n !== FOLD && n !== TARGET);
  const columns = new Map(candidates.map((n) => [n, development(getColumn(table, n))]));
  const selection = selectFeatures(candidates, columns, params);
  await writeJson(PATHS.featureList, {
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

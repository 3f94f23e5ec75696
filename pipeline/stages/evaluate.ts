/**
 * Stage `evaluate`: residual analysis of the selected model's out-of-fold predictions
 * (by state, by racial-composition band, by feature group), predicted vs. actual, and
 * permutation importance of the held-out-fold model on the held-out fold. Writes DVC
 * plots and an HTML report, and logs both to MLflow under the training run. As in
 * `train`, the tracking server is checked first, its run ends FAILED or KILLED if the
 * stage fails or is interrupted, and abandoned runs of vanished processes are marked FAILED.
 *
 * @module
 */
import { EVALUATION_SUMMARY } from "../artefacts/evaluation_summary.ts";
import { CONTRIBUTION_SUMMARY } from "../artefacts/contribution_summary.ts";
import { createExplainer } from "../bundle/bundle_explainer.ts";
import { contributionSummary } from "../report/contribution_summary.ts";
import { contributionSection } from "../report/contribution_section.ts";
import { HOLDOUT_BUNDLE_PATH, readBundleFile } from "../artefacts/model_bundles.ts";
import { readOofPredictions } from "../artefacts/oof_predictions.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { TRAIN_RUN } from "../artefacts/train_run.ts";
import { createPredictor } from "../bundle/bundle_predictor.ts";
import { loadParams } from "../config/load_params.ts";
import { selectValues } from "../core/matrix.ts";
import { FOLD, TARGET } from "../data/catalogue.ts";
import { loadRaw } from "../data/load_raw.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { permutationImportance } from "../evaluation/permutation_importance.ts";
import { analyseResiduals } from "../evaluation/residual_analysis.ts";
import { rowsWhere } from "../folds/fold_split.ts";
import { holdoutRows } from "../folds/holdout_rows.ts";
import { loadModel } from "../models/load_model.ts";
import { PATHS } from "../paths.ts";
import { evaluationReport } from "../report/evaluation_report.ts";
import { evaluationPlots, evaluationSummary } from "../report/evaluation_plots.ts";
import { recordEvaluation } from "../report/mlflow_evaluation_run.ts";
import { runStage } from "../stage_support/run_stage.ts";
import { exitOnSignal, reportAbandonedRuns, StageRuns } from "../stage_support/stage_runs.ts";
import { trackingClient } from "../stage_support/tracking_client.ts";

async function main(): Promise<void> {
  const params = await loadParams("evaluate");
  const split = await SPLIT_PLAN.read();
  const run = await TRAIN_RUN.read();
  const client = await trackingClient();
  const runs = new StageRuns(client);
  exitOnSignal("evaluate", (signal) => runs.endOpen("KILLED", `interrupted by ${signal}`));
  await reportAbandonedRuns("evaluate", client, [run.experimentId]);
  const table = readParquet(PATHS.cleanData);
  const { table: raw } = await loadRaw();
  const oof = await readOofPredictions();
  const rows = Int32Array.from(oof, (r) => r.row);
  const actual = Float64Array.from(oof, (r) => r.actual);
  const predicted = Float64Array.from(oof, (r) => r.predicted);
  const states = selectValues(raw.numbers.get("state")!, rows);
  const columns = new Map(table.names.map((n) => [n, selectValues(getColumn(table, n), rows)]));
  const analysis = analyseResiduals(actual, predicted, states, columns);

  const holdout = await readBundleFile(HOLDOUT_BUNDLE_PATH);
  const predictor = createPredictor(holdout, loadModel);
  const holdoutIndices = rowsWhere(getColumn(table, FOLD), (f) => f === split.holdoutFold);
  const used = holdout.preprocessor.inputFeatures;
  const importance = permutationImportance(
    (m) => predictor.predict(m),
    holdoutRows(table, predictor.featureNames, split.holdoutFold),
    selectValues(getColumn(table, TARGET), holdoutIndices),
    predictor.featureNames,
    params.permutation_repeats,
    params.permutation_seed,
  ).filter((imp) => used.includes(imp.feature));
  const top = importance.slice(0, params.top_features);

  const plots = evaluationPlots({ rows, actual, predicted, analysis, importance: top });
  await Deno.mkdir(PATHS.plotsDir, { recursive: true });
  for (const [name, text] of Object.entries(plots)) {
    await Deno.writeTextFile(`${PATHS.plotsDir}/${name}`, text);
  }
  const summary = evaluationSummary(analysis, top);
  await EVALUATION_SUMMARY.write(summary);
  await Deno.writeTextFile(
    PATHS.evaluationReport,
    evaluationReport({ actual, predicted, analysis, importance: top }),
  );

  // Per-prediction contributions of the held-out model on the held-out fold, summarised
  // per feature beside permutation importance: a file of its own and a report section.
  const explainer = createExplainer(holdout, loadModel);
  const contributions = contributionSummary(
    (row) => explainer.explain(row),
    holdoutRows(table, predictor.featureNames, split.holdoutFold),
    predictor.featureNames,
    importance,
    used,
    params.top_features,
  );
  await CONTRIBUTION_SUMMARY.write(contributions);
  const page = await Deno.readTextFile(PATHS.evaluationReport);
  const section = contributionSection(contributions, params.top_features);
  await Deno.writeTextFile(PATHS.evaluationReport, page.replace("</body>", `${section}</body>`));

  const { analysis: _, importance: __, ...figures } = summary;
  try {
    await recordEvaluation(client, runs, run, {
      figures,
      files: {
        "evaluation.html": PATHS.evaluationReport,
        "evaluation.json": EVALUATION_SUMMARY.path,
        "contributions.json": CONTRIBUTION_SUMMARY.path,
        ...Object.fromEntries(
          Object.keys(plots).map((name) => [`plots/${name}`, `${PATHS.plotsDir}/${name}`]),
        ),
      },
    });
  } catch (error) {
    await runs.failOpen(error);
    throw error;
  }
  console.log(
    `evaluate: worst state ${summary.worst_state} rmse ${summary.worst_state_rmse.toFixed(4)}; ` +
      `top feature ${summary.top_feature}; report ${PATHS.evaluationReport}`,
  );
}

if (import.meta.main) await runStage("evaluate", main);

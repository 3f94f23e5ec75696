/**
 * Stage `evaluate`: residual analysis of the selected model's out-of-fold predictions
 * (by state, by racial-composition band, by feature group), predicted vs. actual, and
 * permutation importance of the held-out-fold model on the held-out fold. Writes DVC
 * plots, the metrics and analysis files, and an HTML report with plotly.js beside it;
 * logs the figures to its MLflow run (a child of the training run) and the files to the
 * training run. As in
 * `train`, the tracking server is checked first, its run ends FAILED or KILLED if the
 * stage fails or is interrupted, and abandoned runs of vanished processes are marked FAILED.
 *
 * @module
 */
import { CV_CANDIDATES } from "../artefacts/cv_candidates.ts";
import { CV_METRICS } from "../artefacts/cv_metrics.ts";
import { readPythonAnchors } from "../artefacts/python_anchors.ts";
import { comparisonTable } from "../report/candidate_comparison.ts";
import { EVALUATION_ANALYSIS } from "../artefacts/evaluation_analysis.ts";
import { EVALUATION_SUMMARY } from "../artefacts/evaluation_summary.ts";
import { CONTRIBUTION_SUMMARY } from "../artefacts/contribution_summary.ts";
import { createExplainer } from "../bundle/bundle_explainer.ts";
import { contributionSummary } from "../report/contribution_summary.ts";
import { HOLDOUT_BUNDLE_PATH, readBundleFile } from "../artefacts/model_bundles.ts";
import { readOofPredictions } from "../artefacts/oof_predictions.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { TRAIN_RUN } from "../artefacts/train_run.ts";
import { createPredictor } from "../bundle/bundle_predictor.ts";
import { loadParams } from "../config/load_params.ts";
import { selectValues } from "../core/matrix.ts";
import { FOLD, STATE, TARGET } from "../data/catalogue.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { permutationImportance } from "../evaluation/permutation_importance.ts";
import { analyseResiduals } from "../evaluation/residual_analysis.ts";
import { rowsWhere } from "../folds/fold_split.ts";
import { holdoutRows } from "../folds/holdout_rows.ts";
import { loadModel } from "../models/load_model.ts";
import { PATHS } from "../paths.ts";
import {
  evaluationFigures,
  evaluationReport,
  modelDescription,
} from "../report/evaluation_report.ts";
import { evaluationPlots, evaluationSummary } from "../report/evaluation_plots.ts";
import { recordEvaluation } from "../report/mlflow_evaluation_run.ts";
import { standalonePlotlyPage } from "../report/plotly_html.ts";
import { readPlotlyLibrary } from "../stage_support/plotly_library.ts";
import { runStage } from "../stage_support/run_stage.ts";
import { INTERVAL_REPORT, type IntervalReport } from "../artefacts/interval_report.ts";
import { intervalFigures, measureIntervals } from "../report/interval_measurement.ts";
import { exitOnSignal, reportAbandonedRuns, StageRuns } from "../stage_support/stage_runs.ts";
import { trackingClient } from "../stage_support/tracking_client.ts";

/** The figures logged to MLflow, each as a page of its own. */
const MLFLOW_FIGURES = [
  "predicted_vs_actual",
  "residuals",
  "importance",
  "error_by_state",
  "error_by_racial_band",
];

async function main(): Promise<void> {
  const params = await loadParams("evaluate");
  const split = await SPLIT_PLAN.read();
  const run = await TRAIN_RUN.read();
  const cv = await CV_METRICS.read();
  const candidates = await CV_CANDIDATES.read();
  const members = candidates.ensemble_members;
  const anchors = await readPythonAnchors();
  const plotlyJs = await readPlotlyLibrary();
  const client = await trackingClient();
  const runs = new StageRuns(client);
  exitOnSignal("evaluate", (signal) => runs.endOpen("KILLED", `interrupted by ${signal}`));
  await reportAbandonedRuns("evaluate", client, [run.experimentId]);
  const table = readParquet(PATHS.cleanData);
  const oof = await readOofPredictions();
  const rows = Int32Array.from(oof, (r) => r.row);
  const actual = Float64Array.from(oof, (r) => r.actual);
  const predicted = Float64Array.from(oof, (r) => r.predicted);
  const states = selectValues(getColumn(table, STATE), rows);
  const columns = new Map(table.names.map((n) => [n, selectValues(getColumn(table, n), rows)]));
  const analysis = analyseResiduals(actual, predicted, states, columns);

  const holdout = await readBundleFile(HOLDOUT_BUNDLE_PATH);
  const predictor = createPredictor(holdout, loadModel);
  const holdoutIndices = rowsWhere(getColumn(table, FOLD), (f) => f === split.holdoutFold);
  // The model's inputs, and the level of its group offsets: both move its predictions.
  const used = [
    ...holdout.preprocessor.inputFeatures,
    ...(holdout.groupOffsets ? [holdout.groupOffsets.feature] : []),
  ];
  const importance = permutationImportance(
    (m) => predictor.predict(m),
    holdoutRows(table, predictor.featureNames, split.holdoutFold),
    selectValues(getColumn(table, TARGET), holdoutIndices),
    predictor.featureNames,
    params.permutation_repeats,
    params.permutation_seed,
  ).filter((imp) => used.includes(imp.feature));
  const top = importance.slice(0, params.top_features);
  const intervals: IntervalReport = holdout.intervals
    ? measureIntervals(holdout.intervals, {
      table,
      oof,
      holdoutFold: split.holdoutFold,
      holdoutActual: selectValues(getColumn(table, TARGET), holdoutIndices),
      holdoutPredicted: predictor.predict(
        holdoutRows(table, predictor.featureNames, split.holdoutFold),
      ),
      holdoutIndices,
    })
    : { enabled: false };
  await INTERVAL_REPORT.write(intervals);

  const minGroupRows = params.min_group_rows;
  const plots = evaluationPlots({
    rows,
    actual,
    predicted,
    analysis,
    importance: top,
    minGroupRows,
  });
  await Deno.mkdir(PATHS.plotsDir, { recursive: true });
  for (const [name, text] of Object.entries(plots)) {
    await Deno.writeTextFile(`${PATHS.plotsDir}/${name}`, text);
  }
  const summary = evaluationSummary(analysis, top, minGroupRows);
  await EVALUATION_SUMMARY.write(summary);
  await EVALUATION_ANALYSIS.write({ analysis, importance: top });
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
  const { selected } = cv;
  const provenance = holdout.provenance;
  const report = {
    summary: {
      model: `${modelDescription(selected, members)}, target ${holdout.target}`,
      version: `commit ${provenance.gitCommit.slice(0, 12)}, MLflow training run ${run.runId}`,
      trainedAt: provenance.trainedAt,
      evaluatedAt: new Date().toISOString(),
      metrics: [
        { label: `pooled ${split.cvFolds.length}-fold OOF RMSE`, value: selected.cv_rmse },
        { label: `pooled ${split.cvFolds.length}-fold OOF MAE`, value: selected.cv_mae },
        { label: `pooled ${split.cvFolds.length}-fold OOF R²`, value: selected.cv_r2 },
        { label: "fold RMSE sd", value: selected.cv_fold_rmse_std },
        { label: "selection (dev folds) RMSE", value: selected.dev_cv_rmse },
        { label: "held-out fold RMSE", value: selected.holdout_rmse },
        { label: "held-out fold R²", value: selected.holdout_r2 },
      ],
    },
    actual,
    predicted,
    analysis,
    importance: top,
    repeats: params.permutation_repeats,
    minGroupRows,
    contributions,
    comparison: comparisonTable(candidates, cv, anchors),
  };
  await Deno.writeTextFile(PATHS.evaluationPlotly, plotlyJs);
  await Deno.writeTextFile(PATHS.evaluationReport, evaluationReport(report));
  const pages = Object.fromEntries(
    evaluationFigures(report).filter((f) => MLFLOW_FIGURES.includes(f.name)).map((f) => [
      `figures/${f.name}.html`,
      standalonePlotlyPage(f.title, f.figure, plotlyJs),
    ]),
  );

  try {
    await recordEvaluation(client, runs, run, {
      headline: { ...summary, ...intervalFigures(intervals) },
      pages,
      files: {
        "intervals.json": INTERVAL_REPORT.path,
        "evaluation.json": EVALUATION_SUMMARY.path,
        "evaluation_analysis.json": EVALUATION_ANALYSIS.path,
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

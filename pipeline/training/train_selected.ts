/**
 * The training stage's computation: cross-validates every candidate, selects one, and
 * fits it twice: on the development folds (scored once on the held-out fold) and on
 * every CV fold (the model that is served). Both fits become sealed bundles.
 *
 * @module
 */
import type { HeadlineMetrics } from "../artefacts/cv_metrics.ts";
import { sealBundle } from "../bundle/bundle_io.ts";
import type { ModelBundle, SourceProvenance } from "../bundle/bundle_schema.ts";
import type { BundleIntervals } from "../bundle/prediction_intervals.ts";
import type { TrainParams } from "../config/params_schema.ts";
import { selectRows, selectValues } from "../core/matrix.ts";
import { regressionMetrics } from "../core/statistics.ts";
import { type ColumnInfo, featureNames, FOLD, TARGET } from "../data/catalogue.ts";
import { getColumn, type NumericTable } from "../data/numeric_table.ts";
import { transform } from "../features/preprocessor.ts";
import { foldSplits, type SplitFolds, splitRows } from "../folds/fold_split.ts";
import { buildBundle } from "./build_bundle.ts";
import type { FittedCandidate, Progress, TrainingData } from "./cross_validate.ts";
import { fitSelected } from "./fit_selected.ts";
import { type Selection, selectModel } from "./select_model.ts";
import type { Tracker } from "./tracker.ts";

/** What training produced. */
export interface TrainedModel {
  readonly selection: Selection;
  /** The selected candidate's summary (`summarize_results.ts`). */
  readonly summary: Readonly<Record<string, number>>;
  readonly headline: HeadlineMetrics;
  /** Row indices of every CV fold, the served model's training rows. */
  readonly cvRows: Int32Array;
  readonly finalFit: FittedCandidate;
  /** Row indices of the CV folds but the held-out one. */
  readonly devRows: Int32Array;
  readonly holdoutFit: FittedCandidate;
}

/** Cross-validates, selects, fits and scores; `tracker` hears of every candidate. */
export async function trainSelected(
  params: TrainParams,
  data: TrainingData,
  split: SplitFolds,
  tracker: Tracker,
  progress: Progress,
): Promise<TrainedModel> {
  const splits = foldSplits(data.folds, split.cvFolds);
  console.error(
    `train: cross-validating ${params.candidates.length} candidates on ${splits.length} folds`,
  );
  const selection = await selectModel(params, data, splits, tracker, progress);
  const best = selection.best;
  console.error(`train: selected ${best.name} (pooled rmse ${best.pooled.rmse.toFixed(4)})`);

  const rows = splitRows(data.folds, split);
  const { cv: cvRows, development: devRows, holdout: holdoutRows } = rows;
  const holdoutFit = await fitSelected(selection, params, data, devRows);
  const holdoutPredicted = holdoutFit.model.predict(
    transform(holdoutFit.preprocessor, selectRows(data.x, holdoutRows)),
  );
  const holdout = regressionMetrics(selectValues(data.y, holdoutRows), holdoutPredicted);
  const finalFit = await fitSelected(selection, params, data, cvRows);
  const summary = selection.summaries[best.name];
  await tracker.final(best.name, finalFit, summary);
  const headline: HeadlineMetrics = {
    cv_rmse: summary.rmse,
    cv_mae: summary.mae,
    cv_r2: summary.r2,
    cv_mape: summary.mape,
    cv_fold_rmse_std: summary.fold_rmse_std,
    cv_fold_rmse_max: summary.fold_rmse_max,
    holdout_rmse: holdout.rmse,
    holdout_r2: holdout.r2,
  };
  return { selection, summary, headline, cvRows, finalFit, devRows, holdoutFit };
}

/** What a bundle records besides its fit. */
export interface BundleContext {
  readonly table: NumericTable;
  readonly data: TrainingData;
  /** The whole catalogue; its predictive features are the serving contract. */
  readonly catalogue: readonly ColumnInfo[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly provenance: SourceProvenance;
  /** The MLflow run the bundle was trained in. */
  readonly mlflowRunId: string;
}

/** Seals the bundle of `fit`, trained on `rows` of the table, with its intervals if any. */
export async function trainedBundle(
  fit: FittedCandidate,
  rows: Int32Array,
  name: string,
  family: string,
  context: BundleContext,
  intervals?: BundleIntervals,
): Promise<ModelBundle> {
  const { table, data, catalogue } = context;
  const contract = new Set(featureNames(catalogue));
  const predictions = fit.model.predict(transform(fit.preprocessor, selectRows(data.x, rows)));
  const trainingColumns = new Map(
    table.names.filter((n) => n !== FOLD && n !== TARGET).map((n) => [
      n,
      selectValues(getColumn(table, n), rows),
    ]),
  );
  return await sealBundle(buildBundle(fit, {
    name,
    family,
    features: catalogue.filter((c) => contract.has(c.name)),
    trainingColumns,
    trainingPredictions: predictions,
    metrics: { ...context.metrics },
    provenance: {
      ...context.provenance,
      trainedAt: new Date().toISOString(),
      trainingRows: rows.length,
      mlflowRunId: context.mlflowRunId,
    },
    intervals,
  }));
}

/**
 * The training stage's computation, in three steps that keep the held-out fold out of
 * every choice:
 * 1. selection: every candidate (and the stacked ensemble, its weights included) is
 *    cross-validated on the development folds (the CV folds but the held-out one), and
 *    the lowest pooled out-of-fold RMSE is chosen (`dev_cv_*`);
 * 2. the chosen configuration is cross-validated on every CV fold (`cv_*`, comparable
 *    with outside baselines scored the same way), and its fit on the development folds
 *    scores the held-out fold once (`holdout_*`);
 * 3. the configuration is refitted on every CV fold: the model that is served.
 *
 * With `group_offsets` on, each of these gets a random intercept per level fitted on
 * out-of-fold residuals that its own figure does not score (`fit_group_offsets.ts`).
 *
 * @module
 */
import type { HeadlineMetrics } from "../artefacts/cv_metrics.ts";
import { sealBundle } from "../bundle/bundle_io.ts";
import type { ModelBundle, SourceProvenance } from "../bundle/bundle_schema.ts";
import { type GroupOffsets, offsetOf } from "../bundle/group_offsets.ts";
import type { BundleIntervals } from "../bundle/prediction_intervals.ts";
import type { TrainParams } from "../config/params_schema.ts";
import { selectRows, selectValues } from "../core/matrix.ts";
import { regressionMetrics } from "../core/statistics.ts";
import { type ColumnInfo, featureNames, FOLD, TARGET } from "../data/catalogue.ts";
import { getColumn, type NumericTable } from "../data/numeric_table.ts";
import { transform } from "../features/preprocessor.ts";
import { type FoldRows, foldSplits, type SplitFolds, splitRows } from "../folds/fold_split.ts";
import { buildBundle } from "./build_bundle.ts";
import type { CandidateResult, FittedCandidate, Progress, TrainingData } from "./cross_validate.ts";
import { crossValidateSelected } from "./cross_validate_selected.ts";
import { type CvRunner, inProcessRunner } from "./cv_job.ts";
import { fitGroupOffsets, withGroupOffsets } from "./fit_group_offsets.ts";
import { fitSelected } from "./fit_selected.ts";
import { type Selection, selectModel } from "./select_model.ts";
import { summarizeResult } from "./summarize_results.ts";
import type { Tracker } from "./tracker.ts";

/** What training produced. */
export interface TrainedModel {
  /** Every candidate cross-validated on the development folds, and the chosen one. */
  readonly selection: Selection;
  /** The development folds' splits the selection was made on. */
  readonly devSplits: readonly FoldRows[];
  /** The chosen configuration cross-validated on every CV fold. */
  readonly final: CandidateResult;
  /** The final configuration's summary (`summarize_results.ts`). */
  readonly summary: Readonly<Record<string, number>>;
  readonly headline: HeadlineMetrics;
  /** Row indices of every CV fold, the served model's training rows. */
  readonly cvRows: Int32Array;
  readonly finalFit: FittedCandidate;
  /** Row indices of the CV folds but the held-out one. */
  readonly devRows: Int32Array;
  readonly holdoutFit: FittedCandidate;
  /**
   * The selected configuration on the development folds as served: the selection's
   * result with its group offsets when they are on (`selection.best` otherwise).
   */
  readonly dev: CandidateResult;
  /** The served bundle's offsets, from `final`'s out-of-fold residuals. */
  readonly finalOffsets?: GroupOffsets;
  /** The held-out bundle's offsets, from the development folds' out-of-fold residuals. */
  readonly holdoutOffsets?: GroupOffsets;
  /** With offsets on, the figures without them: the selection's and the final CV's. */
  readonly withoutOffsets?: { readonly dev: CandidateResult; readonly final: CandidateResult };
}

/** How training runs its cross-validations, and what it runs beside the final steps. */
export interface TrainOptions<T> {
  /** Where cross-validations run (a worker pool, `cv_pool.ts`); this thread by default. */
  readonly run?: CvRunner;
  /**
   * Work that needs only the selection (e.g. the fairness comparison), started beside the
   * final cross-validation and fits so that a pool keeps busy.
   */
  readonly alongside?: (selection: Selection, devSplits: readonly FoldRows[]) => Promise<T>;
  /** Each table row's level of `params.group_offsets.feature`, needed when they are on. */
  readonly groupCodes?: Float64Array;
}

/** Selects, cross-validates, scores and fits; `tracker` hears of every candidate. */
export async function trainSelected<T = undefined>(
  params: TrainParams,
  data: TrainingData,
  split: SplitFolds,
  tracker: Tracker,
  progress: Progress,
  options: TrainOptions<T> = {},
): Promise<TrainedModel & { readonly alongside?: T }> {
  const run = options.run ?? inProcessRunner(data);
  const devFolds = split.cvFolds.filter((f) => f !== split.holdoutFold);
  const devSplits = foldSplits(data.folds, devFolds);
  console.error(
    `train: cross-validating ${params.candidates.length} candidates on the ` +
      `${devSplits.length} development folds (fold ${split.holdoutFold} held out)`,
  );
  const selection = await selectModel(params, data, devSplits, tracker, progress, run);
  const best = selection.best;
  console.error(
    `train: selected ${best.name} (development-fold rmse ${best.pooled.rmse.toFixed(4)})`,
  );

  const { cv: cvRows, development: devRows, holdout: holdoutRows } = splitRows(
    data.folds,
    split,
  );
  // Each CV fold predicted by a fit on the others (its fold-10 fit is the held-out fit
  // below, refitted alike), queued with the side work; the fits run meanwhile here.
  const finalCv = crossValidateSelected(
    selection,
    params,
    data,
    split.cvFolds,
    progress,
    best.name,
    run,
  );
  const alongside = options.alongside?.(selection, devSplits);
  const holdoutFit = await fitSelected(selection, params, data, devRows);
  const holdoutPredicted = holdoutFit.model.predict(
    transform(holdoutFit.preprocessor, selectRows(data.x, holdoutRows)),
  );
  const offsets = groupOffsetsOf(params, data, options.groupCodes);
  // The held-out fold's offsets come from the development folds' out-of-fold residuals:
  // no fit behind them saw the held-out fold.
  const holdoutOffsets = offsets?.fit(best.oof);
  if (holdoutOffsets) {
    holdoutRows.forEach((row, k) =>
      holdoutPredicted[k] += offsetOf(holdoutOffsets, offsets!.codes[row])
    );
  }
  const holdout = regressionMetrics(selectValues(data.y, holdoutRows), holdoutPredicted);
  const finalFit = await fitSelected(selection, params, data, cvRows);
  const finalWithout = await finalCv;
  const final = offsets ? offsets.crossFitted(finalWithout) : finalWithout;
  const dev = offsets ? offsets.crossFitted(best) : best;
  const summary = summarizeResult(final);
  await tracker.final(best.name, finalFit, summary);
  const headline: HeadlineMetrics = {
    cv_rmse: summary.rmse,
    cv_mae: summary.mae,
    cv_r2: summary.r2,
    cv_mape: summary.mape,
    cv_fold_rmse_std: summary.fold_rmse_std,
    cv_fold_rmse_max: summary.fold_rmse_max,
    dev_cv_rmse: dev.pooled.rmse,
    dev_cv_r2: dev.pooled.r2,
    holdout_rmse: holdout.rmse,
    holdout_r2: holdout.r2,
  };
  return {
    selection,
    devSplits,
    final,
    summary,
    headline,
    cvRows,
    finalFit,
    devRows,
    holdoutFit,
    dev,
    ...(offsets
      ? {
        finalOffsets: offsets.fit(finalWithout.oof),
        holdoutOffsets,
        withoutOffsets: { dev: best, final: finalWithout },
      }
      : {}),
    alongside: await alongside,
  };
}

/** How the configured group offsets are fitted on this data, or undefined when off. */
function groupOffsetsOf(params: TrainParams, data: TrainingData, codes?: Float64Array) {
  if (params.group_offsets === null) return undefined;
  const { feature } = params.group_offsets;
  if (!codes || codes.length !== data.y.length) {
    throw new RangeError(`group offsets by "${feature}" need its value for each of the rows`);
  }
  return {
    codes,
    /** Offsets from the residuals of out-of-fold predictions `oof` (NaN: no prediction). */
    fit: (oof: Float64Array) => fitGroupOffsets(feature, codes, oof.map((p, i) => data.y[i] - p)),
    crossFitted: (result: CandidateResult) =>
      withGroupOffsets(result, feature, codes, data.y, data.folds),
  };
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
  /** Each table row's level of the group offsets' feature, when they are on. */
  readonly groupCodes?: Float64Array;
}

/**
 * Seals the bundle of `fit`, trained on `rows` of the table, with its intervals and group
 * offsets if any.
 */
export async function trainedBundle(
  fit: FittedCandidate,
  rows: Int32Array,
  name: string,
  family: string,
  context: BundleContext,
  intervals?: BundleIntervals,
  offsets?: GroupOffsets,
): Promise<ModelBundle> {
  const { table, data, catalogue } = context;
  const contract = new Set(featureNames(catalogue));
  const codes = offsets && context.groupCodes && selectValues(context.groupCodes, rows);
  if (offsets && !codes) {
    throw new RangeError(`group offsets by "${offsets.feature}" need its values`);
  }
  const predictions = fit.model.predict(transform(fit.preprocessor, selectRows(data.x, rows)));
  if (offsets) codes!.forEach((level, i) => predictions[i] += offsetOf(offsets, level));
  const trainingColumns = new Map(
    table.names.filter((n) => n !== FOLD && n !== TARGET).map((n) => [
      n,
      selectValues(getColumn(table, n), rows),
    ]),
  );
  return await sealBundle(buildBundle(fit, {
    name,
    family,
    features: catalogue.filter((c) => contract.has(c.name) || c.name === offsets?.feature),
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
    ...(offsets ? { offsets: { section: offsets, codes: codes! } } : {}),
  }));
}

/**
 * Stage `train`: cross-validates every candidate on the development folds (the CV folds
 * but the held-out one; tuning inside the training folds only), adds the stacked
 * ensemble of the best, selects the lowest pooled RMSE, cross-validates the chosen
 * configuration on every CV fold (`training/train_selected.ts`), and writes two bundles:
 * the configuration refitted on every CV fold (for serving) and on the development
 * folds (scored once on the held-out fold). Every run is logged to MLflow: a parent run
 * with a child per candidate and tuning trial (and, when `WANDB_PROJECT` is set, to W&B
 * as well: `training/wandb_tracker.ts`).
 *
 * A failure leaves the last good outputs in place: the tracking server is checked before
 * anything else, the outputs are declared `persist: true` in dvc.yaml (DVC does not
 * delete them before the stage runs), and they are written aside and moved into place
 * only once the MLflow run has FINISHED ({@linkcode StagedOutputs}). Runs left open by a
 * failure end FAILED, by SIGINT or SIGTERM KILLED, and runs an earlier, vanished process
 * left RUNNING are marked FAILED at the start ({@linkcode reportAbandonedRuns}).
 *
 * @module
 */
import { CV_CANDIDATES, cvCandidates } from "../artefacts/cv_candidates.ts";
import { CV_METRICS, cvMetrics } from "../artefacts/cv_metrics.ts";
import { FEATURE_LIST } from "../artefacts/feature_list.ts";
import { HOLDOUT_BUNDLE_PATH, MODEL_BUNDLE_PATH } from "../artefacts/model_bundles.ts";
import { formatOofPredictions, OOF_PREDICTIONS_PATH } from "../artefacts/oof_predictions.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { TRAIN_RUN, type TrainRun } from "../artefacts/train_run.ts";
import { loadParams } from "../config/load_params.ts";
import { FOLD, parseCatalogue, STATE, TARGET } from "../data/catalogue.ts";
import { getColumn, toMatrix } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { TRAINING_EXPERIMENT_TAGS } from "../mlflow/system_tags.ts";
import { PATHS } from "../paths.ts";
import { standalonePlotlyPage } from "../report/plotly_html.ts";
import { readPlotlyLibrary } from "../stage_support/plotly_library.ts";
import { currentProvenance } from "../stage_support/provenance.ts";
import { runStage } from "../stage_support/run_stage.ts";
import { exitOnSignal, reportAbandonedRuns, StageRuns } from "../stage_support/stage_runs.ts";
import { StagedOutputs } from "../stage_support/staged_outputs.ts";
import { trackingClient } from "../stage_support/tracking_client.ts";
import type { TrainingData } from "../training/cross_validate.ts";
import { mlflowTracker } from "../training/mlflow_tracker.ts";
import { deferTracker } from "../training/deferred_tracker.ts";
import { withWandb } from "../training/wandb_tracker.ts";
import { openTrainingRun, recordTrainingOutcome } from "../training/mlflow_training_run.ts";
import { trainedBundle, trainSelected } from "../training/train_selected.ts";
import { FAIRNESS_REPORT } from "../artefacts/fairness_report.ts";
import { featureNames } from "../data/catalogue.ts";
import { FAIRNESS_FEATURES } from "../evaluation/residual_analysis.ts";
import { UserError } from "../core/user_error.ts";
import { fairnessCandidate, type FairnessOutcome } from "../training/fairness_candidate.ts";
import { CvPool } from "../training/cv_pool.ts";
import { inProcessRunner } from "../training/cv_job.ts";
import { trainingIntervals } from "../training/training_intervals.ts";
import { summarizeResult } from "../training/summarize_results.ts";
import { withGroupOffsets } from "../training/fit_group_offsets.ts";

const progress = (line: string) => console.error(`  ${line}`);

async function main(): Promise<void> {
  const params = await loadParams("train");
  // First of all: with the tracking server down, fail before any work (and, DVC keeping
  // the persisted outputs, with the last good ones untouched).
  const client = await trackingClient();
  // For the tuning pages (each inlines plotly.js, as MLflow's viewer shows a page alone).
  const plotlyJs = await readPlotlyLibrary();
  const runs = new StageRuns(client);
  const outputs = new StagedOutputs();
  exitOnSignal("train", async (signal) => {
    await outputs.discard();
    await runs.endOpen("KILLED", `interrupted by ${signal}`);
  });
  const experiment = await client.tracking.getOrCreateExperiment(
    params.experiment,
    TRAINING_EXPERIMENT_TAGS,
  );
  await reportAbandonedRuns("train", client, [experiment.experiment_id]);
  const split = await SPLIT_PLAN.read();
  const selection = await FEATURE_LIST.read();
  const table = readParquet(PATHS.cleanData);
  const catalogue = parseCatalogue(await Deno.readTextFile(PATHS.rawNames));
  const groupBy = params.intervals.group_by;
  if (groupBy !== null && !featureNames(catalogue).includes(groupBy)) {
    throw new UserError(
      `train.intervals.group_by: "${groupBy}" is not a feature of the serving contract, ` +
        "so a request could not be grouped by it",
    );
  }
  const data: TrainingData = {
    x: toMatrix(table, selection.features),
    y: getColumn(table, TARGET),
    folds: getColumn(table, FOLD),
    spec: {
      inputFeatures: selection.features,
      indicators: selection.indicators,
      interactions: selection.interactions,
    },
  };
  const provenance = await currentProvenance();
  const run = await openTrainingRun(client, runs, {
    experimentId: experiment.experiment_id,
    params,
    provenance,
    dataSource: PATHS.rawData,
    rows: data.y.length,
    features: selection.features.length,
    split,
  }).catch(async (error) => {
    await runs.failOpen(error);
    throw error;
  });
  // W&B beside MLflow when the environment asks for it (off by default; never fails training).
  const tracking = withWandb(
    mlflowTracker(
      client,
      experiment.experiment_id,
      run.runId,
      runs,
      (title, figure) => standalonePlotlyPage(title, figure, plotlyJs),
    ),
    run.runId,
  );
  try {
    const pool = params.workers > 0 ? new CvPool(data, params.workers) : undefined;
    const fairnessColumns = {
      racialFeature: FAIRNESS_FEATURES[0],
      racialColumn: getColumn(table, FAIRNESS_FEATURES[0]),
      states: getColumn(table, STATE),
    };
    const offsetFeature = params.group_offsets?.feature;
    const groupCodes = offsetFeature === undefined ? undefined : getColumn(table, offsetFeature);
    // Recorded in the background, so the trial runs' requests overlap the final steps.
    const deferred = deferTracker(tracking.tracker);
    const trained = await trainSelected(params, data, split, deferred.tracker, progress, {
      run: pool?.run,
      groupCodes,
      // The comparison without the sensitive features needs only the selection: it runs
      // beside the final cross-validation and fits.
      alongside: params.fairness.enabled
        ? (selection, devSplits) =>
          fairnessCandidate(
            params,
            selection,
            data,
            devSplits,
            Int32Array.from(devSplits.flatMap((s) => Array.from(s.test))),
            fairnessColumns,
            progress,
            pool?.run ?? inProcessRunner(data),
            offsetFeature === undefined || groupCodes === undefined ? undefined : {
              label: `${offsetFeature} offsets`,
              apply: (result) =>
                withGroupOffsets(result, offsetFeature, groupCodes, data.y, data.folds),
            },
          )
        : undefined,
    }).finally(async () => {
      pool?.close();
      try {
        await deferred.flush();
      } finally {
        await tracking.close();
      }
    });
    const best = trained.selection.best;
    const fairness: FairnessOutcome | undefined = trained.alongside;
    if (fairness) {
      const [selected, blind] = fairness.report.comparison.models;
      console.error(
        `train: ${blind.name}: cv rmse ${blind.rmse.estimate?.toFixed(4)} ` +
          `(selected ${selected.rmse.estimate?.toFixed(4)}), ` +
          `${fairness.seconds.toFixed(1)} s beside the final steps`,
      );
    }
    const groupColumn = groupBy === null ? undefined : getColumn(table, groupBy);
    // The served bundle's intervals from the final configuration's out-of-fold residuals
    // on every CV fold; the held-out bundle's from the selection's on the development
    // folds, which never saw the held-out fold.
    const outOfFold = { y: data.y, oof: trained.final.oof, groupColumn };
    const devOutOfFold = { y: data.y, oof: trained.dev.oof, groupColumn };
    const context = {
      table,
      data,
      catalogue,
      metrics: fairness
        ? { ...trained.headline, racial_quartile_rmse_gap: fairness.selectedGap }
        : trained.headline,
      provenance,
      mlflowRunId: run.runId,
      groupCodes,
    };
    const bundle = await trainedBundle(
      trained.finalFit,
      trained.cvRows,
      "communities-crime",
      best.family,
      context,
      trainingIntervals(params.intervals, outOfFold, trained.cvRows, "oof-cv"),
      trained.finalOffsets,
    );
    const holdoutBundle = await trainedBundle(
      trained.holdoutFit,
      trained.devRows,
      "communities-crime-holdout",
      best.family,
      context,
      trainingIntervals(params.intervals, devOutOfFold, trained.devRows, "oof-cv-without-holdout"),
      trained.holdoutOffsets,
    );
    // With offsets, the served configuration is named for them and its development-fold
    // figures sit beside the selection's in the candidates table.
    const served = offsetFeature === undefined
      ? best.name
      : `${best.name} + ${offsetFeature} offsets`;
    const files = {
      bundle: await outputs.writeJson(MODEL_BUNDLE_PATH, bundle),
      holdoutBundle: await outputs.writeJson(HOLDOUT_BUNDLE_PATH, holdoutBundle),
      cvMetrics: await outputs.writeArtefact(
        CV_METRICS,
        cvMetrics(served, best.family, trained.headline),
      ),
    };
    await outputs.writeArtefact(
      CV_CANDIDATES,
      cvCandidates({
        protocol: {
          development_folds: trained.devSplits.map((s) => s.fold),
          holdout_fold: split.holdoutFold,
          cv_folds: [...split.cvFolds],
        },
        summaries: trained.withoutOffsets
          ? { ...trained.selection.summaries, [served]: summarizeResult(trained.dev) }
          : trained.selection.summaries,
        ensembleMembers: trained.selection.ensembleMembers,
        ensembleWeights: trained.selection.ensembleWeights,
        ensembleMethod: params.ensemble.method,
        final: { name: served, summary: trained.summary },
        groupOffsets: trained.finalOffsets && {
          feature: trained.finalOffsets.feature,
          levels: trained.finalOffsets.levels.length,
          shrinkage: trained.finalOffsets.shrinkage,
        },
      }),
    );
    await outputs.writeArtefact(FAIRNESS_REPORT, fairness?.report ?? { enabled: false });
    await outputs.writeText(
      OOF_PREDICTIONS_PATH,
      formatOofPredictions(Array.from(trained.cvRows, (row) => ({
        row,
        fold: data.folds[row],
        actual: data.y[row],
        predicted: trained.final.oof[row],
      }))),
    );
    await recordTrainingOutcome(client, run, {
      selected: best.name,
      headline: trained.headline,
      files,
    });
    const trainRun: TrainRun = run;
    await outputs.writeArtefact(TRAIN_RUN, trainRun);
    await runs.terminateRun(run.runId);
    // Only now, with the run FINISHED, do the new outputs replace the last good ones.
    await outputs.commit();
    if (trained.withoutOffsets) {
      console.error(
        `train: ${offsetFeature} offsets: development-fold rmse ` +
          `${trained.withoutOffsets.dev.pooled.rmse.toFixed(4)} -> ` +
          `${trained.dev.pooled.rmse.toFixed(4)}, pooled ${split.cvFolds.length}-fold ` +
          `${trained.withoutOffsets.final.pooled.rmse.toFixed(4)} -> ${
            trained.summary.rmse.toFixed(4)
          }`,
      );
    }
    console.log(
      `train: ${served} development-fold cv rmse ` +
        `${trained.headline.dev_cv_rmse.toFixed(4)} (selection); ` +
        `pooled ${split.cvFolds.length}-fold oof rmse ${trained.summary.rmse.toFixed(4)} ` +
        `r2 ${trained.summary.r2.toFixed(4)}; holdout fold ${split.holdoutFold} ` +
        `rmse ${trained.headline.holdout_rmse.toFixed(4)}; mlflow run ${run.runId}`,
    );
  } catch (error) {
    await outputs.discard();
    await runs.failOpen(error);
    throw error;
  }
}

if (import.meta.main) await runStage("train", main);

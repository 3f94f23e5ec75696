/**
 * Stage `train`: cross-validates every candidate on the data set's own folds (tuning
 * inside the training folds only), adds the averaging ensemble of the best, selects the
 * lowest pooled RMSE, and writes two bundles: the selected model refitted on every CV
 * fold (for serving) and on all but the held-out fold (for an unbiased check). Every
 * run is logged to MLflow: a parent run with a child per candidate and tuning trial.
 *
 * A failure leaves the last good outputs in place: the tracking server is checked before
 * anything else, the outputs are declared `persist: true` in dvc.yaml (DVC does not
 * delete them before the stage runs), and they are written aside and moved into place
 * only once the MLflow run has FINISHED ({@linkcode StagedOutputs}). Runs left open by a
 * failure end FAILED, by SIGINT or SIGTERM KILLED, and runs an earlier, vanished process
 * left RUNNING are marked FAILED at the start ({@linkcode failAbandonedRuns}).
 *
 * @module
 */
import { type ModelBundle } from "../bundle/bundle_schema.ts";
import { BUNDLE_FILE, MODEL_ARTIFACT_DIR } from "../bundle/bundle_artifact.ts";
import { sealBundle } from "../bundle/bundle_io.ts";
import { loadParams } from "../config/load_params.ts";
import { selectRows, selectValues } from "../core/matrix.ts";
import { featureNames, FOLD, parseCatalogue, TARGET } from "../data/catalogue.ts";
import { getColumn, toMatrix } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { regressionMetrics } from "../core/statistics.ts";
import { foldSplits, type SplitPlan } from "../folds/fold_split.ts";
import { transform } from "../features/preprocessor.ts";
import type { FeatureSelection } from "../features/select_features.ts";
import { PATHS } from "../paths.ts";
import { buildBundle } from "../training/build_bundle.ts";
import type { FittedCandidate, TrainingData } from "../training/cross_validate.ts";
import { fitSelected } from "../training/fit_selected.ts";
import { mlflowTracker } from "../training/mlflow_tracker.ts";
import { selectModel } from "../training/select_model.ts";
import { currentProvenance } from "./provenance.ts";
import { runStage } from "./run_stage.ts";
import { exitOnSignal, failAbandonedRuns, StageRuns } from "./stage_runs.ts";
import { StagedOutputs } from "./staged_outputs.ts";
import { trackingClient, type TrainRun } from "./tracking_client.ts";
import { readJson } from "./write_json.ts";

const progress = (line: string) => console.error(`  ${line}`);

function rowsWhere(folds: Float64Array, keep: (fold: number) => boolean): Int32Array {
  return Int32Array.from(folds.keys()).filter((i) => keep(folds[i]));
}

async function main(): Promise<void> {
  const params = await loadParams("train");
  // First of all: with the tracking server down, fail before any work (and, DVC keeping
  // the persisted outputs, with the last good ones untouched).
  const client = await trackingClient();
  const runs = new StageRuns(client);
  const outputs = new StagedOutputs();
  exitOnSignal("train", async (signal) => {
    await outputs.discard();
    await runs.endOpen("KILLED", `interrupted by ${signal}`);
  });
  const experiment = await client.tracking.getOrCreateExperiment(params.experiment);
  for (const run of await failAbandonedRuns(client, [experiment.experiment_id])) {
    console.error(`train: marked run ${run.runName || run.runId} FAILED: its process is gone`);
  }
  const split = await readJson<SplitPlan>(PATHS.split);
  const selection = await readJson<FeatureSelection & { indicators: string[] }>(PATHS.featureList);
  const table = readParquet(PATHS.cleanData);
  const catalogue = parseCatalogue(await Deno.readTextFile(PATHS.rawNames));
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
  const parent = await runs.createRun({
    experimentId: experiment.experiment_id,
    runName: `train ${new Date().toISOString().slice(0, 19)}`,
    tags: {
      "mlflow.source.git.commit": provenance.gitCommit,
      "data.sha256": provenance.dataHash,
      "params.sha256": provenance.paramsHash,
      "pipeline.stage": "train",
    },
  });
  const runId = parent.info.run_id;
  try {
    await client.tracking.logInputs(runId, [{
      name: "communities-and-crime",
      digest: provenance.dataHash.slice(0, 36),
      source: PATHS.rawData,
      profile: JSON.stringify({ num_rows: data.y.length, num_features: selection.features.length }),
      context: "training",
    }]);
    await client.tracking.logBatch(runId, {
      params: {
        seed: params.seed,
        candidates: params.candidates.map((c) => c.family).join(","),
        features: selection.features.length,
        cv_folds: split.cvFolds.join(","),
        holdout_fold: split.holdoutFold,
        ensemble_top_k: params.ensemble.enabled ? params.ensemble.top_k : 0,
      },
    });
    const tracker = mlflowTracker(client, experiment.experiment_id, runId, runs);
    const splits = foldSplits(data.folds, split.cvFolds);
    console.error(
      `train: cross-validating ${params.candidates.length} candidates on ${splits.length} folds`,
    );
    const chosen = await selectModel(params, data, splits, tracker, progress);
    const best = chosen.best;
    console.error(`train: selected ${best.name} (pooled rmse ${best.pooled.rmse.toFixed(4)})`);

    const cvRows = rowsWhere(data.folds, (f) => split.cvFolds.includes(f));
    const devRows = rowsWhere(
      data.folds,
      (f) => split.cvFolds.includes(f) && f !== split.holdoutFold,
    );
    const holdoutRows = rowsWhere(data.folds, (f) => f === split.holdoutFold);
    const holdoutFit = await fitSelected(chosen, params, data, devRows);
    const holdoutPredicted = holdoutFit.model.predict(
      transform(holdoutFit.preprocessor, selectRows(data.x, holdoutRows)),
    );
    const holdout = regressionMetrics(selectValues(data.y, holdoutRows), holdoutPredicted);
    const finalFit = await fitSelected(chosen, params, data, cvRows);
    const summary = chosen.summaries[best.name];
    await tracker.final(best.name, finalFit, summary);

    const headline = {
      cv_rmse: summary.rmse,
      cv_mae: summary.mae,
      cv_r2: summary.r2,
      cv_mape: summary.mape,
      cv_fold_rmse_std: summary.fold_rmse_std,
      cv_fold_rmse_max: summary.fold_rmse_max,
      holdout_rmse: holdout.rmse,
      holdout_r2: holdout.r2,
    };
    const bundleFor = async (fit: FittedCandidate, rows: Int32Array, name: string) => {
      const predictions = fit.model.predict(transform(fit.preprocessor, selectRows(data.x, rows)));
      const trainingColumns = new Map(
        table.names.filter((n) => n !== FOLD && n !== TARGET).map((n) => [
          n,
          selectValues(getColumn(table, n), rows),
        ]),
      );
      return await sealBundle(buildBundle(fit, {
        name,
        family: best.family,
        features: catalogue.filter((c) => featureNames(catalogue).includes(c.name)),
        trainingColumns,
        trainingPredictions: predictions,
        metrics: headline,
        provenance: {
          ...provenance,
          trainedAt: new Date().toISOString(),
          trainingRows: rows.length,
          mlflowRunId: runId,
        },
      }));
    };
    const bundle: ModelBundle = await bundleFor(finalFit, cvRows, "communities-crime");
    const holdoutBundle = await bundleFor(holdoutFit, devRows, "communities-crime-holdout");

    const bundleFile = await outputs.writeJson(PATHS.modelBundle, bundle);
    const holdoutFile = await outputs.writeJson(PATHS.holdoutBundle, holdoutBundle);
    const cvMetricsFile = await outputs.writeJson(PATHS.cvMetrics, {
      selected: { name: best.name, family: best.family, ...headline },
      ensemble_members: chosen.ensembleMembers.join(","),
      candidates: chosen.summaries,
    });
    const oofLines = ["row,fold,actual,predicted"];
    for (const i of cvRows) {
      oofLines.push(`${i},${data.folds[i]},${data.y[i]},${best.oof[i].toFixed(6)}`);
    }
    await outputs.writeText(PATHS.oofPredictions, oofLines.join("\n") + "\n");

    await client.tracking.logBatch(runId, {
      params: { selected: best.name },
      metrics: Object.entries(headline).map(([key, value]) => ({ key, value, step: 0 })),
    });
    await client.artifacts.uploadFile(
      parent.info.artifact_uri,
      `${MODEL_ARTIFACT_DIR}/${BUNDLE_FILE}`,
      bundleFile,
    );
    await client.artifacts.uploadFile(
      parent.info.artifact_uri,
      `${MODEL_ARTIFACT_DIR}/holdout_bundle.json`,
      holdoutFile,
    );
    await client.artifacts.uploadFile(
      parent.info.artifact_uri,
      "reports/cv_metrics.json",
      cvMetricsFile,
    );
    const run: TrainRun = {
      runId,
      experimentId: experiment.experiment_id,
      artifactUri: parent.info.artifact_uri,
    };
    await outputs.writeJson(PATHS.trainRun, run);
    await runs.terminateRun(runId);
    // Only now, with the run FINISHED, do the new outputs replace the last good ones.
    await outputs.commit();
    console.log(
      `train: ${best.name} cv rmse ${summary.rmse.toFixed(4)} r2 ${summary.r2.toFixed(4)}, ` +
        `holdout fold ${split.holdoutFold} rmse ${holdout.rmse.toFixed(4)}; mlflow run ${runId}`,
    );
  } catch (error) {
    await outputs.discard();
    const reason = error instanceof Error ? error.message : String(error);
    await runs.endOpen("FAILED", reason.slice(0, 1000)).catch(() => {});
    throw error;
  }
}

if (import.meta.main) await runStage("train", main);

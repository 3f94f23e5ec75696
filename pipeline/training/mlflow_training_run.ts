/**
 * The training stage's parent run in MLflow: opened with the provenance tags, the data
 * set and the run's settings; closed out with the selected model's headline metrics
 * and its files (the two bundles and the metrics file) as artifacts.
 *
 * @module
 */
import { BUNDLE_FILE, MODEL_ARTIFACT_DIR } from "../bundle/bundle_artifact.ts";
import type { SourceProvenance } from "../bundle/bundle_schema.ts";
import type { TrainParams } from "../config/params_schema.ts";
import type { MlflowClient } from "../mlflow/client.ts";
import type { RunStarter } from "../mlflow/tracking.ts";

/** What the parent run records when it opens. */
export interface TrainingRunStart {
  readonly experimentId: string;
  readonly params: TrainParams;
  readonly provenance: SourceProvenance;
  /** Where the raw data came from (a path), for MLflow's dataset record. */
  readonly dataSource: string;
  readonly rows: number;
  readonly features: number;
  readonly split: { readonly cvFolds: readonly number[]; readonly holdoutFold: number };
}

/** The opened run. */
export interface TrainingRun {
  readonly runId: string;
  readonly experimentId: string;
  readonly artifactUri: string;
}

/** Creates the parent run (through `runs`, which records it) and logs its inputs. */
export async function openTrainingRun(
  client: MlflowClient,
  runs: RunStarter,
  start: TrainingRunStart,
): Promise<TrainingRun> {
  const { params, provenance, split } = start;
  const parent = await runs.createRun({
    experimentId: start.experimentId,
    runName: `train ${new Date().toISOString().slice(0, 19)}`,
    // The commit and the rest of MLflow's system tags come with every run `runs` starts
    // (see StageRuns); the provenance's commit may carry a "-dirty" mark, MLflow's may not.
    tags: {
      "data.sha256": provenance.dataHash,
      "params.sha256": provenance.paramsHash,
      "pipeline.stage": "train",
      // Which folds each figure comes from (train_selected.ts).
      "metrics.protocol": "candidate runs' cv_*: pooled out-of-fold on selection_folds " +
        "(the selection); this run's dev_cv_*: the selected candidate's on selection_folds, " +
        "cv_*: the final configuration's pooled out-of-fold on cv_folds, holdout_*: " +
        "holdout_fold scored once by the fit on selection_folds",
    },
  });
  const runId = parent.info.run_id;
  await client.tracking.logInputs(runId, [{
    name: "communities-and-crime",
    digest: provenance.dataHash.slice(0, 36),
    source: start.dataSource,
    profile: JSON.stringify({ num_rows: start.rows, num_features: start.features }),
    context: "training",
  }]);
  await client.tracking.logBatch(runId, {
    params: {
      seed: params.seed,
      candidates: params.candidates.map((c) => c.family).join(","),
      features: start.features,
      cv_folds: split.cvFolds.join(","),
      selection_folds: split.cvFolds.filter((f) => f !== split.holdoutFold).join(","),
      holdout_fold: split.holdoutFold,
      ensemble_top_k: params.ensemble.enabled ? params.ensemble.top_k : 0,
      ensemble_method: params.ensemble.method,
    },
  });
  return { runId, experimentId: start.experimentId, artifactUri: parent.info.artifact_uri };
}

/** The files and figures the run ends with. */
export interface TrainingRunOutcome {
  readonly selected: string;
  readonly headline: Readonly<Record<string, number>>;
  /** Local paths of the written files. */
  readonly files: {
    readonly bundle: string;
    readonly holdoutBundle: string;
    readonly cvMetrics: string;
  };
}

/** Logs the selected model, its headline metrics and its files to the run. */
export async function recordTrainingOutcome(
  client: MlflowClient,
  run: TrainingRun,
  outcome: TrainingRunOutcome,
): Promise<void> {
  await client.tracking.logBatch(run.runId, {
    params: { selected: outcome.selected },
    metrics: Object.entries(outcome.headline).map(([key, value]) => ({ key, value, step: 0 })),
  });
  const uploads: [string, string][] = [
    [`${MODEL_ARTIFACT_DIR}/${BUNDLE_FILE}`, outcome.files.bundle],
    [`${MODEL_ARTIFACT_DIR}/holdout_bundle.json`, outcome.files.holdoutBundle],
    ["reports/cv_metrics.json", outcome.files.cvMetrics],
  ];
  for (const [artifact, file] of uploads) {
    await client.artifacts.uploadFile(run.artifactUri, artifact, file);
  }
}

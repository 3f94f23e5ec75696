/**
 * The evaluation stage's record in MLflow: a child run of the training run with the
 * headline figures as metrics and params and the evaluation's figures as its own
 * artifacts (`figures/<name>.html`, each a page with plotly.js inlined, so that MLflow's
 * artifact viewer draws it interactively), and the metrics and analysis files and the
 * plot data as artifacts of the training run (`evaluation/...`), next to its model.
 *
 * @module
 */
import type { TrainRun } from "../artefacts/train_run.ts";
import type { MlflowClient } from "../mlflow/client.ts";
import type { RunStarter } from "../mlflow/tracking.ts";

/** What the run records. */
export interface EvaluationRecord {
  /** Headline figures: numbers become metrics, the named strings params. */
  readonly headline: Readonly<Record<string, number | string>>;
  /** Local files uploaded under the training run's `evaluation/`, by artifact name. */
  readonly files: Readonly<Record<string, string>>;
  /** Pages uploaded as the evaluate run's own artifacts, by artifact path. */
  readonly pages: Readonly<Record<string, string>>;
}

/** Logs the evaluation under `trainRun`; the run is ended FINISHED once all is uploaded. */
export async function recordEvaluation(
  client: MlflowClient,
  runs: RunStarter,
  trainRun: TrainRun,
  record: EvaluationRecord,
): Promise<void> {
  const child = await runs.createRun({
    experimentId: trainRun.experimentId,
    runName: "evaluate",
    parentRunId: trainRun.runId,
  });
  const headline = Object.entries(record.headline);
  await client.tracking.logBatch(child.info.run_id, {
    metrics: headline.filter((entry): entry is [string, number] => typeof entry[1] === "number")
      .map(([key, value]) => ({ key, value, step: 0 })),
    params: Object.fromEntries(headline.filter(([, v]) => typeof v === "string")),
  });
  for (const [artifact, page] of Object.entries(record.pages)) {
    await client.artifacts.upload(child.info.artifact_uri, artifact, page);
  }
  for (const [artifact, file] of Object.entries(record.files)) {
    await client.artifacts.uploadFile(trainRun.artifactUri, `evaluation/${artifact}`, file);
  }
  await runs.terminateRun(child.info.run_id);
}

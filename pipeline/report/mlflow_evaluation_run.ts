/**
 * The evaluation stage's record in MLflow: a child run of the training run with the
 * headline figures as metrics and params, and the report, the metrics file and the plot
 * files as artifacts of the training run (`evaluation/...`), next to its model.
 *
 * @module
 */
import type { TrainRun } from "../artefacts/train_run.ts";
import type { MlflowClient } from "../mlflow/client.ts";
import type { RunStarter } from "../mlflow/tracking.ts";

/** What the run records. */
export interface EvaluationRecord {
  /** Headline figures: numbers become metrics, the named strings params. */
  readonly figures: Readonly<Record<string, number | string>>;
  /** Local files uploaded under `evaluation/`, by artifact name (`plots/x.csv`...). */
  readonly files: Readonly<Record<string, string>>;
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
  const figures = Object.entries(record.figures);
  await client.tracking.logBatch(child.info.run_id, {
    metrics: figures.filter((entry): entry is [string, number] => typeof entry[1] === "number")
      .map(([key, value]) => ({ key, value, step: 0 })),
    params: Object.fromEntries(figures.filter(([, v]) => typeof v === "string")),
  });
  for (const [artifact, file] of Object.entries(record.files)) {
    await client.artifacts.uploadFile(trainRun.artifactUri, `evaluation/${artifact}`, file);
  }
  await runs.terminateRun(child.info.run_id);
}

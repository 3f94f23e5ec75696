/**
 * `models/train_run.json`, written by `train`: the MLflow run the stage logged to, which
 * `evaluate` and `register` log and register under. They read it from the file rather
 * than search MLflow, so they find the run that made the bundle they read.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The training run's identity. */
export const TrainRunSchema = z.strictObject({
  runId: z.string().min(1),
  experimentId: z.string().min(1),
  artifactUri: z.string().min(1),
});

/** A checked training run identity. */
export type TrainRun = z.infer<typeof TrainRunSchema>;

/** The training run file. */
export const TRAIN_RUN = jsonArtefact("models/train_run.json", TrainRunSchema);

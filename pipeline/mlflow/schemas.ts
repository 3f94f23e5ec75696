/**
 * Zod schemas of the tracking entities the MLflow REST API returns. Field names stay as
 * MLflow sends them (snake_case) so they match the REST documentation; key/value lists
 * become plain records, which is how callers read them.
 *
 * @module
 */
import { z } from "zod";

/** A `[{key, value}]` list (absent when empty) parsed into a record. */
export const KeyValues = z
  .array(z.object({ key: z.string(), value: z.string() }))
  .default([])
  .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.key, p.value])));

/** The inverse of {@linkcode KeyValues}: a record as MLflow's `[{key, value}]` list. */
export function toKeyValueList(
  record: Readonly<Record<string, string>>,
): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/** A metric value; MLflow writes non-finite values as strings. */
export const MetricValue = z.union([
  z.number(),
  z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number),
]);

/** One logged metric point. */
export const Metric = z.object({
  key: z.string(),
  value: MetricValue,
  timestamp: z.number(),
  step: z.number().default(0),
});
/** One logged metric point. */
export type Metric = z.output<typeof Metric>;

/** An experiment. */
export const Experiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.string(),
  tags: KeyValues,
});
/** An experiment. */
export type Experiment = z.output<typeof Experiment>;

/** The lifecycle states of a run. */
export const RunStatus = z.enum(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]);
/** The lifecycle states of a run. */
export type RunStatus = z.output<typeof RunStatus>;

/** A run's metadata; `artifact_uri` is where its artifacts live, e.g. `mlflow-artifacts:/1/<id>/artifacts`. */
export const RunInfo = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  run_name: z.string().default(""),
  status: RunStatus,
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.string(),
});
/** A run's metadata. */
export type RunInfo = z.output<typeof RunInfo>;

/** A dataset a run used, as recorded by `log-inputs`. */
export const DatasetInput = z.object({
  tags: KeyValues,
  dataset: z.object({
    name: z.string(),
    digest: z.string(),
    source_type: z.string(),
    source: z.string(),
    schema: z.string().optional(),
    profile: z.string().optional(),
  }),
});
/** A dataset a run used. */
export type DatasetInput = z.output<typeof DatasetInput>;

/** A run: metadata, latest metric values, params, tags and datasets. */
export const Run = z.object({
  info: RunInfo,
  data: z.object({
    metrics: z
      .array(Metric)
      .default([])
      .transform((points) => Object.fromEntries(points.map((m) => [m.key, m.value]))),
    params: KeyValues,
    tags: KeyValues,
  }),
  inputs: z
    .object({ dataset_inputs: z.array(DatasetInput).default([]) })
    .default({ dataset_inputs: [] }),
});
/** A run. */
export type Run = z.output<typeof Run>;

/** A file or directory in an artifact store; `path` is relative to the listed root. */
export const FileInfo = z.object({
  path: z.string(),
  is_dir: z.boolean(),
  file_size: z.number().optional(),
});
/** A file or directory in an artifact store. */
export type FileInfo = z.output<typeof FileInfo>;

/**
 * A finished training run with a bundle as its model artifact, as the `train` stage leaves
 * one, for tests of registration, promotion and serving from the registry.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import type { MlflowClient } from "../../pipeline/mlflow/client.ts";
import type { TrainRun } from "../../pipeline/stages/tracking_client.ts";

/**
 * Logs `bundle` as `model/model_bundle.json` of a new, finished run in `experiment`.
 *
 * @example
 * ```ts ignore
 * const run = await trainRun(server.client, await testBundle(), "train-test");
 * ```
 */
export async function trainRun(
  client: MlflowClient,
  bundle: ModelBundle,
  experiment: string,
): Promise<TrainRun> {
  const { experiment_id } = await client.tracking.getOrCreateExperiment(experiment);
  const run = await client.tracking.createRun({ experimentId: experiment_id });
  await client.artifacts.upload(
    run.info.artifact_uri,
    "model/model_bundle.json",
    JSON.stringify(bundle),
  );
  await client.tracking.terminateRun(run.info.run_id);
  return {
    runId: run.info.run_id,
    experimentId: experiment_id,
    artifactUri: run.info.artifact_uri,
  };
}

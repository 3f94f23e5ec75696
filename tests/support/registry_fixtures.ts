/**
 * What tests of registration, promotion and serving from the registry start from: a
 * finished training run with a bundle as its model artifact, as the `train` stage leaves
 * one, and a promotion request whose gates the test bundles can pass.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import { GateThresholdsSchema } from "../../pipeline/config/register_params_schema.ts";
import { joinArtifactPath, type MlflowClient } from "../../pipeline/mlflow/client.ts";
import type { PromotionRequest } from "../../pipeline/registry/promotion.ts";
import type { TrainRun } from "../../pipeline/artefacts/train_run.ts";
import { uniformMatrix } from "./linear_data.ts";
import { CONTRACT } from "./test_bundle.ts";

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

/**
 * Registers `bundle` (logged by {@linkcode trainRun}) as a new version of `name`, waits
 * until it is ready and points `alias` at it; resolves with the version.
 *
 * @example
 * ```ts ignore
 * const version = await registerVersion(server.client, "communities-crime", bundle, "champion");
 * ```
 */
export async function registerVersion(
  client: MlflowClient,
  name: string,
  bundle: ModelBundle,
  alias: string,
): Promise<string> {
  const run = await trainRun(client, bundle, `${name}-training`);
  await client.registry.getOrCreateRegisteredModel(name);
  const created = await client.registry.createModelVersion({
    name,
    source: joinArtifactPath(run.artifactUri, "model"),
    runId: run.runId,
  });
  const { version } = await client.registry.waitUntilReady(name, created.version, {
    timeoutMs: 20_000,
  });
  await client.registry.setAlias(name, alias, version);
  return version;
}

/**
 * A promotion of the registered model `name`: absolute gates a test bundle with CV RMSE
 * under 0.15 passes, the serving contract, and a random holdout in [0, 1].
 *
 * @example
 * ```ts ignore
 * const outcome = await promote(server.client, promotionRequest("crime-test"));
 * ```
 */
export function promotionRequest(name: string): PromotionRequest {
  return {
    name,
    thresholds: GateThresholdsSchema.parse({
      max_cv_rmse: 0.15,
      min_cv_r2: 0.6,
      max_fold_rmse: 0.2,
    }),
    contract: CONTRACT,
    holdout: uniformMatrix(40, CONTRACT.length, 3),
    holdoutFold: 10,
    experiment: "promotions",
    dryRun: false,
    lockTtlMs: 60_000,
    lockSettleMs: 50,
  };
}

/**
 * Registers a training run's model bundle as a version of a registered model, tagged
 * with its provenance and metrics, and points the `challenger` alias at it. The version
 * is registered from the MLflow logged model made of the bundle (`logged_model.ts`), so
 * MLflow shows its signature and can load, serve and evaluate it; without one, from the
 * run's `model/` folder. Registering the same run again reuses its version, so a re-run
 * pipeline stage adds no duplicate (and logs no second model).
 *
 * @module
 */
import { MODEL_ARTIFACT_DIR } from "../bundle/bundle_artifact.ts";
import type { ModelBundle } from "../bundle/bundle_schema.ts";
import { joinArtifactPath, type MlflowClient, type ModelVersion } from "../mlflow/client.ts";
import type { SplitPlan } from "../artefacts/split_plan.ts";
import type { TrainRun } from "../artefacts/train_run.ts";
import type { LoggedModel } from "./logged_model.ts";
import { versionTags } from "./version_tags.ts";
import { RegistryError } from "./registry_error.ts";

/** The aliases the registry uses instead of the deprecated stages. */
export const ALIAS = {
  champion: "champion",
  challenger: "challenger",
  previousChampion: "previous-champion",
} as const;

/** The inputs of {@linkcode registerBundle}. */
export interface Registration {
  readonly name: string;
  readonly bundle: ModelBundle;
  readonly run: TrainRun;
  readonly split: Pick<SplitPlan, "cvFolds" | "holdoutFold">;
  /**
   * Logs the logged model to register the version from; called only when the run has no
   * version yet. Without it, the version's source is the run's `model/` folder.
   */
  readonly logModel?: () => Promise<LoggedModel>;
  /** How long to wait for the version to become READY; defaults to 60 s. */
  readonly timeoutMs?: number;
}

/** The registered version and whether it already existed. */
export interface Registered {
  readonly version: ModelVersion;
  readonly reused: boolean;
  /** The logged model this call logged (none when the version was reused or none was asked for). */
  readonly loggedModel?: LoggedModel;
}

/**
 * Registers (or finds) the run's version, waits until it is READY and makes it challenger,
 * unless it is the champion already.
 */
export async function registerBundle(
  client: MlflowClient,
  input: Registration,
): Promise<Registered> {
  const { name, run } = input;
  await client.registry.getOrCreateRegisteredModel(name, {
    description: "Predicts ViolentCrimesPerPop of a US community (UCI Communities and Crime).",
  });
  const [existing] = await client.registry.searchModelVersions({
    filter: `name = '${name}' and run_id = '${run.runId}'`,
    orderBy: ["version_number DESC"],
  });
  const reused = existing !== undefined && existing.status !== "FAILED_REGISTRATION";
  const loggedModel = reused || !input.logModel ? undefined : await input.logModel();
  const created = reused ? existing : await client.registry.createModelVersion({
    name,
    source: loggedModel?.modelUri ?? joinArtifactPath(run.artifactUri, MODEL_ARTIFACT_DIR),
    runId: run.runId,
    modelId: loggedModel?.modelId,
    tags: versionTags(input.bundle, input.split),
  });
  let version: ModelVersion;
  try {
    version = await client.registry.waitUntilReady(name, created.version, {
      timeoutMs: input.timeoutMs,
    });
  } catch (error) {
    throw new RegistryError(
      `model version ${name}/${created.version} did not become READY, so it was not made ` +
        `challenger: ${(error as Error).message}`,
    );
  }
  // A rerun of the champion's own training run must not offer the champion as its own
  // challenger: promotion would then compare a version with itself.
  if (!version.aliases.includes(ALIAS.champion)) {
    await client.registry.setAlias(name, ALIAS.challenger, version.version);
  }
  return { version, reused, loggedModel };
}

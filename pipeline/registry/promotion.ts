/**
 * One promotion of a model version to `champion`: fetches the challenger's bundle
 * through the artifact proxy, runs the gates, records them (version tags, an MLflow run
 * named `promotion v<N>` with the gates as a JSON artifact) and, when every gate passes,
 * moves `previous-champion` to the old champion and `champion` to the challenger. All of
 * it happens under the promotion lock; a dry run only reads.
 *
 * @module
 */
import { downloadVersionBundle } from "../bundle/version_bundle.ts";
import { redactUri } from "../mlflow/redact_uri.ts";
import { openBundle } from "../bundle/bundle_io.ts";
import type { Matrix } from "../core/matrix.ts";
import type { MlflowClient, ModelVersion } from "../mlflow/client.ts";
import { failedGates, type GateResult, gateTagValue } from "./gate_result.ts";
import { acquirePromotionLock, type PromotionLock } from "./promotion_lock.ts";
import { type OpenedBundle, promotionGates } from "./promotion_gates.ts";
import { ALIAS } from "./registration.ts";
import type { GateThresholds } from "../config/register_params_schema.ts";
import type { ComparedVersion } from "./relative_gates.ts";
import { splitOfTags, TAG } from "./version_tags.ts";
import { currentProcess } from "../stage_support/process_identity.ts";
import { ownerTags } from "../stage_support/stage_runs.ts";
import { runSystemTags } from "../stage_support/run_source.ts";
import { TRAINING_EXPERIMENT_TAGS } from "../mlflow/system_tags.ts";
import { RegistryError } from "./registry_error.ts";

/** The version tag (and promotion-run tag) that records a promotion's decision. */
export const DECISION_TAG = "promotion.decision";

/** What is waiting to be gated: nothing, a challenger already gated, or one to gate. */
export type PendingChallenger =
  | { readonly state: "none" }
  | { readonly state: "gated"; readonly version: string; readonly decision: string }
  | { readonly state: "waiting"; readonly version: string };

/**
 * The challenger of `name` and whether it still waits for its gates: a challenger is
 * gated once, so re-running the pipeline does not repeat a refusal.
 */
export async function pendingChallenger(
  client: MlflowClient,
  name: string,
): Promise<PendingChallenger> {
  const version = (await client.registry.getRegisteredModel(name))?.aliases[ALIAS.challenger];
  if (version === undefined) return { state: "none" };
  const decision = (await client.registry.getModelVersion(name, version)).tags[DECISION_TAG];
  return decision === undefined
    ? { state: "waiting", version }
    : { state: "gated", version, decision };
}

/** The inputs of {@linkcode promote}. */
export interface PromotionRequest {
  readonly name: string;
  /** Defaults to the version the `challenger` alias points at. */
  readonly version?: string;
  readonly thresholds: GateThresholds;
  readonly contract: readonly string[];
  readonly holdout: Matrix;
  /** The held-out rows' column names (`GateInputs` in `promotion_gates.ts`). */
  readonly holdoutColumns?: readonly string[];
  readonly holdoutFold: number;
  /** Experiment the promotion run is logged to. */
  readonly experiment: string;
  readonly dryRun: boolean;
  readonly lockTtlMs: number;
  /** Wait before confirming the lock; see `acquirePromotionLock`. */
  readonly lockSettleMs?: number;
}

/** What a promotion decided and did. */
export interface PromotionOutcome {
  readonly name: string;
  readonly version: string;
  /** The champion before this promotion. */
  readonly champion?: string;
  readonly gates: readonly GateResult[];
  readonly promoted: boolean;
  readonly dryRun: boolean;
  /** The MLflow run the decision was logged to (absent in a dry run). */
  readonly runId?: string;
}

async function openVersionBundle(client: MlflowClient, mv: ModelVersion): Promise<OpenedBundle> {
  let source = mv.source;
  try {
    const { bytes, location } = await downloadVersionBundle(client, mv);
    source = redactUri(location);
    return { bundle: await openBundle(new TextDecoder().decode(bytes), source) };
  } catch (error) {
    return { problem: `${source}: ${(error as Error).message}` };
  }
}

function compared(mv: ModelVersion): ComparedVersion {
  const rmse = mv.tags["metric.cv_rmse"];
  return {
    version: mv.version,
    dataHash: mv.tags[TAG.dataHash] ?? "",
    split: splitOfTags(mv.tags),
    cvRmse: rmse === undefined ? NaN : Number(rmse),
  };
}

async function record(
  client: MlflowClient,
  request: PromotionRequest,
  outcome: Omit<PromotionOutcome, "runId">,
): Promise<string> {
  const { name, version, gates } = outcome;
  for (const gate of gates) {
    await client.registry.setModelVersionTag(
      name,
      version,
      `gate.${gate.name}`,
      gateTagValue(gate),
    );
  }
  const decision = outcome.promoted ? "promoted" : `refused: ${failedGates(gates).join(", ")}`;
  await client.registry.setModelVersionTag(name, version, DECISION_TAG, decision);
  const experiment = await client.tracking.getOrCreateExperiment(
    request.experiment,
    TRAINING_EXPERIMENT_TAGS,
  );
  const run = await client.tracking.createRun({
    experimentId: experiment.experiment_id,
    runName: `promotion v${version}`,
    // Owner tags: a promotion killed before it ends this run leaves it to be marked FAILED.
    tags: {
      ...runSystemTags(),
      ...ownerTags(currentProcess()),
      "pipeline.stage": "promote",
      [DECISION_TAG]: decision,
    },
  });
  const runId = run.info.run_id;
  await client.tracking.logBatch(runId, {
    params: { model: name, version, champion_before: outcome.champion ?? "none" },
    metrics: [
      { key: "promoted", value: outcome.promoted ? 1 : 0 },
      ...gates.map((g) => ({ key: `gate.${g.name}.passed`, value: g.passed ? 1 : 0 })),
      ...gates.filter((g) => g.value !== undefined)
        .map((g) => ({ key: `gate.${g.name}.value`, value: g.value! })),
    ],
  });
  await client.artifacts.upload(
    run.info.artifact_uri,
    "promotion/gates.json",
    JSON.stringify({ ...outcome, decidedAt: new Date().toISOString() }, null, 2) + "\n",
  );
  await client.tracking.terminateRun(runId);
  return runId;
}

/** Runs the gates on a version and promotes it when all pass (unless `dryRun`). */
export async function promote(
  client: MlflowClient,
  request: PromotionRequest,
): Promise<PromotionOutcome> {
  const { name } = request;
  const lock: PromotionLock | undefined = request.dryRun ? undefined : await acquirePromotionLock(
    client,
    name,
    { ttlMs: request.lockTtlMs, settleMs: request.lockSettleMs },
  );
  try {
    const model = await client.registry.getRegisteredModel(name);
    if (!model) {
      throw new RegistryError(
        `there is no registered model "${name}": run the register stage first`,
      );
    }
    const version = request.version ?? model.aliases[ALIAS.challenger];
    if (version === undefined) {
      throw new RegistryError(
        `model "${name}" has no ${ALIAS.challenger} alias: register a version or pass --version`,
      );
    }
    const championVersion = model.aliases[ALIAS.champion];
    if (championVersion === version) {
      throw new RegistryError(`${name} v${version} is already ${ALIAS.champion}`);
    }
    const challenger = await client.registry.getModelVersion(name, version);
    if (challenger.status !== "READY") {
      throw new RegistryError(`${name} v${version} is ${challenger.status}, not READY`);
    }
    const champion = championVersion === undefined
      ? undefined
      : compared(await client.registry.getModelVersion(name, championVersion));
    const gates = promotionGates({
      challenger: await openVersionBundle(client, challenger),
      version,
      split: splitOfTags(challenger.tags),
      champion,
      contract: request.contract,
      holdout: request.holdout,
      holdoutColumns: request.holdoutColumns,
      holdoutFold: request.holdoutFold,
      thresholds: request.thresholds,
    });
    const decided = {
      name,
      version,
      champion: championVersion,
      gates,
      promoted: !request.dryRun && failedGates(gates).length === 0,
      dryRun: request.dryRun,
    };
    if (!lock) return decided;
    const runId = await record(client, request, decided);
    if (decided.promoted) {
      await lock.confirm();
      const now = (await client.registry.getRegisteredModel(name))?.aliases[ALIAS.champion];
      if (now !== championVersion) {
        throw new RegistryError(
          `the champion changed from v${championVersion} to v${now} during the promotion; nothing was moved`,
        );
      }
      if (championVersion !== undefined) {
        await client.registry.setAlias(name, ALIAS.previousChampion, championVersion);
      }
      await client.registry.setAlias(name, ALIAS.champion, version);
      if (model.aliases[ALIAS.challenger] === version) {
        await client.registry.deleteAlias(name, ALIAS.challenger);
      }
    }
    return { ...decided, runId };
  } finally {
    await lock?.release();
  }
}

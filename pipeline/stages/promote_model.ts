/**
 * `deno task promote-model`: runs the promotion gates on a registered version (by
 * default the `challenger`) and makes it `champion` when they all pass, or rolls the
 * champion back. Exits 1 naming the failed gates, or with the reason nothing was done;
 * with `--if-challenger` (what `make pipeline` runs), a challenger that passes every gate
 * but `beats_champion` is reported and exits 0: retraining without improvement is an
 * outcome, while a model failing an absolute, data or sanity gate still fails the run.
 *
 * ```sh
 * deno task promote-model                 # gate and promote the challenger
 * deno task promote-model --dry-run       # print the decision, change nothing
 * deno task promote-model --version 3     # gate and promote version 3
 * deno task promote-model --rollback      # champion <- previous-champion
 * deno task promote-model --unlock        # free the lock of a promotion whose process is gone
 * ```
 *
 * A promotion or a rollback that changes the champion also requests its deployment (a
 * GitHub `repository_dispatch`, see `../registry/deploy_dispatch.ts`) when
 * `DEPLOY_DISPATCH_REPO` and `DEPLOY_DISPATCH_TOKEN` are set; if that request fails, the
 * new champion stays and the command exits 1 saying how to deploy by hand.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadParams } from "../config/load_params.ts";
import { featureNames, parseCatalogue, STATE } from "../data/catalogue.ts";
import { readParquet } from "../data/parquet_io.ts";
import { PATHS } from "../paths.ts";
import { runStage, StageError } from "../stage_support/run_stage.ts";
import { trackingClient } from "../stage_support/tracking_client.ts";
import { failedGates, formatGate, onlyFailsToBeatChampion } from "../registry/gate_result.ts";
import { holdoutRows } from "../folds/holdout_rows.ts";
import { pendingChallenger, promote } from "../registry/promotion.ts";
import { unlockPromotion } from "../registry/promotion_lock.ts";
import { rollback } from "../registry/rollback.ts";
import {
  type DeployTarget,
  dispatchSettings,
  sendDeployDispatch,
} from "../registry/deploy_dispatch.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";

const USAGE = "usage: promote-model [--dry-run] [--rollback] [--if-challenger] [--unlock] " +
  "[--name <model>] [--version <n>]";

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        "dry-run": { type: "boolean", default: false },
        rollback: { type: "boolean", default: false },
        "if-challenger": { type: "boolean", default: false },
        unlock: { type: "boolean", default: false },
        name: { type: "string" },
        version: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new StageError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(Deno.args);
  if (flags.help) return console.log(USAGE);
  if (flags.rollback && (flags.version !== undefined || flags["dry-run"])) {
    throw new StageError(`--rollback takes no --version or --dry-run\n${USAGE}`);
  }
  // Read first: a half-set pair fails before anything changes in the registry.
  const dispatch = dispatchSettings();
  const requestDeploy = async (target: DeployTarget) => {
    if (!dispatch) return;
    try {
      await sendDeployDispatch(dispatch, target);
    } catch (error) {
      throw new StageError(
        `${target.name} v${target.version} is champion, but its deployment was not requested: ` +
          `${(error as Error).message}; run the deploy workflow by hand with version ` +
          `${target.version}`,
      );
    }
    console.log(
      `requested the deployment of v${target.version} (repository_dispatch to ${dispatch.repository})`,
    );
  };
  const params = await loadParams("register");
  const name = flags.name ?? params.model_name;
  const client = await trackingClient();
  const lockTtlMs = params.lock_ttl_s * 1000;
  if (flags.unlock) {
    if (flags.rollback || flags.version !== undefined || flags["dry-run"]) {
      throw new StageError(`--unlock takes no other action\n${USAGE}`);
    }
    const outcome = await unlockPromotion(client, name);
    if (outcome.result === "kept") throw new StageError(outcome.message);
    console.log(outcome.message);
    return;
  }
  if (flags.rollback) {
    const { from, to } = await rollback(client, { name, lockTtlMs });
    console.log(`rolled back ${name}: champion v${from} -> v${to} (previous-champion cleared)`);
    await requestDeploy({ name, version: to, reason: "rollback" });
    return;
  }
  if (flags["if-challenger"] && flags.version === undefined) {
    const pending = await pendingChallenger(client, name);
    if (pending.state === "none") {
      return console.log(`${name}: no challenger waiting, nothing to promote`);
    }
    if (pending.state === "gated") {
      return console.log(
        `${name}: challenger v${pending.version} was already gated (${pending.decision}); ` +
          "nothing new",
      );
    }
  }
  const fold = (await SPLIT_PLAN.read()).holdoutFold;
  const contract = featureNames(parseCatalogue(await Deno.readTextFile(PATHS.rawNames)));
  // The state beside them, for a model with state offsets.
  const holdoutColumns = [...contract, STATE];
  const outcome = await promote(client, {
    name,
    version: flags.version,
    thresholds: params.gates,
    contract,
    holdout: holdoutRows(readParquet(PATHS.cleanData), holdoutColumns, fold),
    holdoutColumns,
    holdoutFold: fold,
    experiment: params.experiment,
    dryRun: flags["dry-run"],
    lockTtlMs,
  });
  const champion = outcome.champion === undefined
    ? "no champion yet"
    : `champion v${outcome.champion}`;
  console.log(`${name} v${outcome.version} (${champion})${outcome.dryRun ? " [dry run]" : ""}`);
  for (const gate of outcome.gates) console.log(`  ${formatGate(gate)}`);
  const failed = failedGates(outcome.gates);
  if (flags["if-challenger"] && onlyFailsToBeatChampion(outcome.gates)) {
    console.log(
      `v${outcome.version} not promoted: it does not beat the champion by the margin; ` +
        `${champion} stays`,
    );
    return;
  }
  if (failed.length > 0) {
    throw new StageError(`v${outcome.version} not promoted: failed gate(s) ${failed.join(", ")}`);
  }
  console.log(
    outcome.dryRun
      ? `dry run: v${outcome.version} would become champion; nothing changed`
      : `promoted v${outcome.version} to champion` +
        (outcome.champion === undefined ? "" : `; previous-champion is v${outcome.champion}`) +
        ` (mlflow run ${outcome.runId})`,
  );
  if (!outcome.dryRun) await requestDeploy({ name, version: outcome.version, reason: "promotion" });
}

if (import.meta.main) await runStage("promote-model", main);

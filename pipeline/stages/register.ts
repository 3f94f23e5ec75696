/**
 * Stage `register`: registers the trained bundle as a new version of the registered
 * model (or finds the version of the same training run), tagged with provenance and
 * metrics, and makes it `challenger`. Writes the model card, uploads it next to the
 * bundle, sets it as the version's description, and records the version in
 * `models/registered_version.json`. Promotion to `champion` is a separate, gated step
 * (`deno task promote-model`).
 *
 * @module
 */
import { openBundle } from "../bundle/bundle_io.ts";
import type { SplitPlan } from "../folds/fold_split.ts";
import { PATHS } from "../paths.ts";
import {
  cardDescription,
  type CvSummary,
  type EvaluationSummary,
  modelCard,
} from "../registry/model_card.ts";
import { loadParams } from "../config/load_params.ts";
import { MODEL_ARTIFACT_DIR } from "../bundle/bundle_artifact.ts";
import { registerBundle } from "../registry/registration.ts";
import { runStage } from "./run_stage.ts";
import { trackingClient, type TrainRun } from "./tracking_client.ts";
import { readJson, writeJson } from "./write_json.ts";

const MODEL_CARD = "reports/model_card.md";
const REGISTERED_VERSION = "models/registered_version.json";

async function main(): Promise<void> {
  const params = await loadParams("register");
  const bundle = await openBundle(await Deno.readTextFile(PATHS.modelBundle), PATHS.modelBundle);
  const run = await readJson<TrainRun>(PATHS.trainRun);
  const split = await readJson<SplitPlan>(PATHS.split);
  const cv = await readJson<CvSummary>(PATHS.cvMetrics);
  const evaluation = await readJson<EvaluationSummary>("reports/evaluation.json");
  const client = await trackingClient();

  const { version, reused } = await registerBundle(client, {
    name: params.model_name,
    bundle,
    run,
    split,
  });
  const card = modelCard({
    name: params.model_name,
    version: version.version,
    bundle,
    cv,
    evaluation,
  });
  await Deno.writeTextFile(MODEL_CARD, card);
  const cardArtifact = `${MODEL_ARTIFACT_DIR}/model_card.md`;
  await client.artifacts.upload(run.artifactUri, cardArtifact, card);
  await client.registry.updateModelVersionDescription(
    params.model_name,
    version.version,
    cardDescription(card, cardArtifact),
  );
  await writeJson(REGISTERED_VERSION, { name: params.model_name, version: version.version });
  console.log(
    `register: ${params.model_name} v${version.version} ${
      reused ? "(existing version of this run) " : ""
    }` +
      `is challenger; cv rmse ${bundle.metrics.cv_rmse?.toFixed(4)}; card ${MODEL_CARD}; ` +
      "promote with: deno task promote-model",
  );
}

if (import.meta.main) await runStage("register", main);

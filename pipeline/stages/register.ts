/**
 * Stage `register`: logs the trained bundle as an MLflow logged model (a `python_function`
 * model whose predictor is the project's TypeScript one, run by Deno; see
 * `registry/logged_model.ts`), registers it as a new version of the registered model (or
 * finds the version of the same training run), tagged with provenance and metrics, and
 * makes it `challenger`. Writes the model card, uploads it next to the
 * bundle, sets it as the version's description, and records the version in
 * `models/registered_version.json`. Promotion to `champion` is a separate, gated step
 * (`deno task promote-model`).
 *
 * @module
 */
import { CV_CANDIDATES } from "../artefacts/cv_candidates.ts";
import { CV_METRICS } from "../artefacts/cv_metrics.ts";
import { readPythonAnchors } from "../artefacts/python_anchors.ts";
import { EVALUATION_ANALYSIS } from "../artefacts/evaluation_analysis.ts";
import { EVALUATION_SUMMARY } from "../artefacts/evaluation_summary.ts";
import { FAIRNESS_REPORT } from "../artefacts/fairness_report.ts";
import { INTERVAL_REPORT } from "../artefacts/interval_report.ts";
import { MODEL_BUNDLE_PATH, readBundleFile } from "../artefacts/model_bundles.ts";
import { REGISTERED_VERSION } from "../artefacts/registered_version.ts";
import { SPLIT_PLAN } from "../artefacts/split_plan.ts";
import { TRAIN_RUN } from "../artefacts/train_run.ts";
import { MODEL_ARTIFACT_DIR } from "../bundle/bundle_artifact.ts";
import { loadParams } from "../config/load_params.ts";
import { cardDescription, modelCard } from "../registry/model_card.ts";
import { PATHS } from "../paths.ts";
import { logPyfuncModel } from "../registry/logged_model.ts";
import { registerBundle } from "../registry/registration.ts";
import { runStage } from "../stage_support/run_stage.ts";
import { trackingClient } from "../stage_support/tracking_client.ts";

async function main(): Promise<void> {
  const params = await loadParams("register");
  const bundle = await readBundleFile(MODEL_BUNDLE_PATH);
  const run = await TRAIN_RUN.read();
  const split = await SPLIT_PLAN.read();
  const cv = { ...await CV_METRICS.read(), ...await CV_CANDIDATES.read() };
  const evaluation = { ...await EVALUATION_SUMMARY.read(), ...await EVALUATION_ANALYSIS.read() };
  const intervals = await INTERVAL_REPORT.read();
  const fairness = await FAIRNESS_REPORT.read();
  const client = await trackingClient();

  const started = performance.now();
  const { version, reused, loggedModel } = await registerBundle(client, {
    name: params.model_name,
    bundle,
    run,
    split,
    logModel: () =>
      logPyfuncModel({
        name: params.model_name,
        bundlePath: MODEL_BUNDLE_PATH,
        run,
        trackingUri: client.trackingUri,
        metrics: {
          worst_state_rmse: evaluation.worst_state_rmse,
          racial_band_rmse_max: evaluation.racial_band_rmse_max,
          racial_band_rmse_min: evaluation.racial_band_rmse_min,
        },
        workDir: "models",
      }),
  });
  if (loggedModel) {
    console.log(
      `register: logged model ${loggedModel.modelId} (python_function) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const card = modelCard({
    name: params.model_name,
    version: version.version,
    bundle,
    cv,
    anchors: await readPythonAnchors(),
    evaluation,
    intervals,
    fairness,
  });
  await Deno.writeTextFile(PATHS.modelCard, card);
  const cardArtifact = `${MODEL_ARTIFACT_DIR}/model_card.md`;
  await client.artifacts.upload(run.artifactUri, cardArtifact, card);
  await client.registry.updateModelVersionDescription(
    params.model_name,
    version.version,
    cardDescription(card, cardArtifact),
  );
  await REGISTERED_VERSION.write({
    name: params.model_name,
    version: version.version,
    bundleChecksum: bundle.checksum,
  });
  console.log(
    `register: ${params.model_name} v${version.version} ${
      reused ? "(existing version of this run) " : ""
    }` +
      `is challenger; cv rmse ${bundle.metrics.cv_rmse?.toFixed(4)}; card ${PATHS.modelCard}; ` +
      "promote with: deno task promote-model",
  );
}

if (import.meta.main) await runStage("register", main);

/**
 * `deno task mlflow ui` prints the link that opens the training experiment's runs on
 * MLflow's model-training view, and the experiment list before the pipeline made it.
 */
import assert from "node:assert/strict";
import { loadParams } from "../../pipeline/config/load_params.ts";
import { runCommand } from "../../tools/run_command.ts";
import { startTestServer } from "../support/mlflow_server.ts";

const UI = ["run", "--frozen", "--allow-all", "pipeline/stages/mlflow_server.ts", "ui"];

Deno.test("mlflow ui links to the training experiment on the model-training view", async () => {
  const server = await startTestServer();
  try {
    const ui = async () => {
      const out = await runCommand(Deno.execPath(), UI, {
        env: { MLFLOW_TRACKING_URI: server.uri, NO_COLOR: "1" },
      });
      assert.equal(out.code, 0, out.stderr);
      return out.stdout.trim();
    };
    const base = server.uri.replace(/\/+$/, "");
    assert.equal(await ui(), `MLflow UI: ${base}/#/experiments?workflowType=machine_learning`);
    const { experiment } = await loadParams("train");
    const { experiment_id } = await server.client.tracking.getOrCreateExperiment(experiment);
    assert.equal(
      await ui(),
      `MLflow UI: ${base}/#/experiments/${experiment_id}?workflowType=machine_learning`,
    );
  } finally {
    await server.stop();
  }
});

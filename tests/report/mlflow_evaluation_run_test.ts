/**
 * The evaluation's MLflow record on a real tracking server: a FINISHED child run of the
 * training run with the headline figures and the figure pages as its own artifacts, and
 * the files under the training run's `evaluation/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { recordEvaluation } from "../../pipeline/report/mlflow_evaluation_run.ts";
import { StageRuns } from "../../pipeline/stage_support/stage_runs.ts";
import { startTestServer } from "../support/mlflow_server.ts";

Deno.test("the evaluate run holds the headline figures and the figure pages", async () => {
  const server = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "evaluation_run_" });
  try {
    const { client } = server;
    const experiment = await client.tracking.getOrCreateExperiment("evaluation-test");
    const parent = await client.tracking.createRun({ experimentId: experiment.experiment_id });
    const trainRun = {
      runId: parent.info.run_id,
      experimentId: experiment.experiment_id,
      artifactUri: parent.info.artifact_uri,
    };
    const file = join(dir, "evaluation.json");
    await Deno.writeTextFile(file, '{"worst_state_rmse":0.3}\n');
    const page = "<!doctype html><html><body>figure</body></html>\n";
    await recordEvaluation(client, new StageRuns(client), trainRun, {
      headline: { worst_state: "Mississippi", worst_state_rmse: 0.3 },
      files: { "evaluation.json": file },
      pages: { "figures/predicted_vs_actual.html": page },
    });

    const [child] = await client.tracking.searchRuns({
      experimentIds: [experiment.experiment_id],
      filter: `tags.mlflow.parentRunId = '${trainRun.runId}'`,
    });
    assert.equal(child.info.run_name, "evaluate");
    assert.equal(child.info.status, "FINISHED");
    assert.equal(child.data.metrics.worst_state_rmse, 0.3);
    assert.equal(child.data.params.worst_state, "Mississippi");
    const figures = await client.artifacts.list(child.info.artifact_uri, "figures");
    assert.deepEqual(figures.map((f) => f.path), ["figures/predicted_vs_actual.html"]);
    const stored = await client.artifacts.download(
      child.info.artifact_uri,
      "figures/predicted_vs_actual.html",
    );
    assert.equal(new TextDecoder().decode(stored), page);
    const files = await client.artifacts.list(trainRun.artifactUri, "evaluation");
    assert.deepEqual(files.map((f) => f.path), ["evaluation/evaluation.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.stop();
  }
});

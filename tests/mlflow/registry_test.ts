import assert from "node:assert/strict";
import { joinArtifactPath } from "../../pipeline/mlflow/artifacts.ts";
import { MlflowError } from "../../pipeline/mlflow/errors.ts";
import { RegistryApi } from "../../pipeline/mlflow/registry.ts";
import { HttpTransport } from "../../pipeline/mlflow/transport.ts";
import { startTestServer } from "../support/mlflow_server.ts";

Deno.test("model registry against a real MLflow server", async (t) => {
  const server = await startTestServer();
  const { tracking, artifacts, registry } = server.client;
  try {
    const experiment = await tracking.getOrCreateExperiment("registry-test");
    const weights = crypto.getRandomValues(new Uint8Array(4096));
    const trainedRun = async () => {
      const run = await tracking.createRun({ experimentId: experiment.experiment_id });
      await artifacts.upload(run.info.artifact_uri, "model/weights.bin", weights);
      await tracking.terminateRun(run.info.run_id);
      return run.info;
    };
    const register = async () => {
      const run = await trainedRun();
      const source = joinArtifactPath(run.artifact_uri, "model");
      const created = await registry.createModelVersion({
        name: "crime",
        source,
        runId: run.run_id,
      });
      return await registry.waitUntilReady("crime", created.version, { timeoutMs: 10_000 });
    };

    await t.step("getOrCreateRegisteredModel is idempotent", async () => {
      const first = await registry.getOrCreateRegisteredModel("crime", {
        description: "violent crimes per capita",
        tags: { task: "regression" },
      });
      const second = await registry.getOrCreateRegisteredModel("crime", { description: "ignored" });
      assert.equal(second.description, "violent crimes per capita");
      assert.deepEqual(second.tags, { task: "regression" });
      assert.equal(second.creation_timestamp, first.creation_timestamp);
      assert.equal(await registry.getRegisteredModel("no-such-model"), undefined);
    });

    const v1 = await register();
    const v2 = await register();

    await t.step("a version registered from a run's artifacts is READY and readable", async () => {
      assert.equal(v1.status, "READY");
      assert.deepEqual([v1.version, v2.version], ["1", "2"]);
      assert.match(v1.source, /^mlflow-artifacts:\/.*\/artifacts\/model$/);
      assert.deepEqual(await artifacts.download(v1.source, "weights.bin"), weights);
    });

    await t.step("aliases can be set, read, moved and deleted", async () => {
      await registry.setAlias("crime", "champion", v1.version);
      const champion = await registry.getModelVersionByAlias("crime", "champion");
      assert.equal(champion?.version, "1");
      assert.deepEqual(champion?.aliases, ["champion"]);

      await registry.setAlias("crime", "champion", v2.version);
      assert.equal((await registry.getModelVersionByAlias("crime", "champion"))?.version, "2");
      assert.deepEqual((await registry.getModelVersion("crime", "1")).aliases, []);
      assert.deepEqual((await registry.getRegisteredModel("crime"))?.aliases, { champion: "2" });

      await registry.deleteAlias("crime", "champion");
      assert.equal(await registry.getModelVersionByAlias("crime", "champion"), undefined);
      assert.equal(await registry.getModelVersionByAlias("no-such-model", "champion"), undefined);
    });

    await t.step("tags, descriptions and search", async () => {
      await registry.setModelVersionTag("crime", v2.version, "val_rmse", "0.137");
      await registry.setRegisteredModelTag("crime", "owner", "pipeline");
      const described = await registry.updateModelVersionDescription(
        "crime",
        "2",
        "ridge, alpha 1",
      );
      assert.equal(described.description, "ridge, alpha 1");
      assert.deepEqual(described.tags, { val_rmse: "0.137" });
      const model = await registry.updateRegisteredModelDescription("crime", "v2 notes");
      assert.equal(model.description, "v2 notes");
      assert.deepEqual(model.tags, { task: "regression", owner: "pipeline" });

      const byRun = await registry.searchModelVersions({ filter: `run_id = '${v2.run_id}'` });
      assert.deepEqual(byRun.map((v) => v.version), ["2"]);
      const all = await registry.searchModelVersions({
        filter: "name = 'crime'",
        orderBy: ["version_number DESC"],
        maxResults: 1,
      });
      assert.deepEqual(all.map((v) => v.version), ["2"]);
    });

    await t.step("registry errors name the call", async () => {
      await assert.rejects(
        registry.getModelVersion("crime", "99"),
        (e) =>
          e instanceof MlflowError && e.status === 404 &&
          e.message.includes(`GET /api/2.0/mlflow/model-versions/get at ${server.uri}`),
      );
    });
  } finally {
    await server.stop();
  }
});

Deno.test("waitUntilReady reports a failed or stuck registration", async () => {
  let status = "FAILED_REGISTRATION";
  const double = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
    Response.json({
      model_version: {
        name: "crime",
        version: "3",
        creation_timestamp: 1,
        source: "mlflow-artifacts:/1/r/artifacts/model",
        status,
        status_message: "copy failed",
      },
    }));
  try {
    const uri = `http://127.0.0.1:${double.addr.port}`;
    const registry = new RegistryApi(new HttpTransport(uri, { credentials: null }));
    await assert.rejects(
      registry.waitUntilReady("crime", "3"),
      new RegExp(`at ${uri} failed: model version crime/3 failed to register: copy failed`),
    );
    status = "PENDING_REGISTRATION";
    const started = performance.now();
    await assert.rejects(
      registry.waitUntilReady("crime", "3", { timeoutMs: 300, pollIntervalMs: 50 }),
      /model version crime\/3 is still PENDING_REGISTRATION after 300 ms/,
    );
    assert.ok(performance.now() - started < 2000);
  } finally {
    await double.shutdown();
  }
});

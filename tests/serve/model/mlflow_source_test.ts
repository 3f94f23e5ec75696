import assert from "node:assert/strict";
import { join } from "node:path";
import type { ModelBundle } from "../../../pipeline/bundle/bundle_schema.ts";
import { joinArtifactPath } from "../../../pipeline/mlflow/client.ts";
import { MlflowClient } from "../../../pipeline/mlflow/client.ts";
import { ModelInfoResponseSchema } from "../../../serve/contract/api_schemas.ts";
import { BundleCache } from "../../../serve/model/bundle_cache.ts";
import { BUNDLE_FILE, MODEL_ARTIFACT_DIR } from "../../../pipeline/bundle/bundle_artifact.ts";
import { mlflowSource } from "../../../serve/model/model_source_mlflow.ts";
import { sourceCommand, spawnServer } from "../../../tools/serve/spawn_server.ts";
import { freePort, startTestServer } from "../../support/mlflow_server.ts";
import { harness, postJson } from "../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const MODEL = "communities-crime";
const locator = { kind: "registry", name: MODEL, alias: "champion" } as const;
/** A client that gives up on a dead server quickly. */
const quick = (uri: string) =>
  new MlflowClient(uri, { credentials: null, retry: { maxAttempts: 2, initialDelayMs: 50 } });

Deno.test("serving from the MLflow registry by alias, with a disk cache", async (t) => {
  const server = await startTestServer();
  const scratch = await Deno.makeTempDir({ prefix: "serve_mlflow_" });
  const cacheDir = join(scratch, "cache");
  const { tracking, artifacts, registry } = server.client;
  try {
    const experiment = await tracking.getOrCreateExperiment("serve-test");
    /** Logs `text` as a training run's bundle artifact and registers it as a new version. */
    const register = async (text: string) => {
      const run = await tracking.createRun({ experimentId: experiment.experiment_id });
      await artifacts.upload(run.info.artifact_uri, `${MODEL_ARTIFACT_DIR}/${BUNDLE_FILE}`, text);
      await tracking.terminateRun(run.info.run_id);
      const created = await registry.createModelVersion({
        name: MODEL,
        source: joinArtifactPath(run.info.artifact_uri, "model"),
        runId: run.info.run_id,
      });
      return (await registry.waitUntilReady(MODEL, created.version, { timeoutMs: 20_000 })).version;
    };
    await registry.getOrCreateRegisteredModel(MODEL);
    const v1: ModelBundle = await testBundle({ seed: 1 });
    const v2: ModelBundle = await testBundle({ seed: 2, shift: 0.1 });
    await registry.setAlias(MODEL, "champion", await register(JSON.stringify(v1)));

    const { app } = await harness(undefined, {
      source: mlflowSource({ client: server.client, locator, cache: new BundleCache(cacheDir) }),
    });
    const info = async () =>
      ModelInfoResponseSchema.parse(await (await app.request("/model/info")).json());

    await t.step("the alias's version is downloaded, verified and served", async () => {
      const served = await info();
      assert.equal(served.version, "1");
      assert.equal(served.alias, "champion");
      assert.equal(served.origin, "mlflow");
      assert.equal(served.source, "models:/communities-crime@champion");
      assert.match(
        served.location,
        /^mlflow-artifacts:\/.*\/artifacts\/model\/model_bundle\.json$/,
      );
      assert.equal(served.checksum, v1.checksum);
      const response = await postJson(app, "/predict", randomRow(v1, 2));
      assert.equal(response.headers.get("x-model-version"), "1");
    });

    await t.step("moving the alias and reloading serves the new version", async () => {
      await registry.setAlias(MODEL, "champion", await register(JSON.stringify(v2)));
      const reloaded = await (await app.request("/admin/reload", { method: "POST" })).json();
      assert.deepEqual(reloaded, { status: "reloaded", version: "2", previousVersion: "1" });
      const unchanged = await (await app.request("/admin/reload", { method: "POST" })).json();
      assert.equal(unchanged.status, "unchanged");
    });

    await t.step("a corrupt bundle in the registry is refused and version 2 stays", async () => {
      const tampered = JSON.stringify({ ...v1, metrics: { cv_rmse: 0 } });
      await registry.setAlias(MODEL, "champion", await register(tampered));
      const failed = await app.request("/admin/reload", { method: "POST" });
      assert.equal(failed.status, 502);
      assert.match((await failed.json()).message, /checksum mismatch.*still serving version 2/);
      const served = await info();
      assert.equal(served.version, "2");
      assert.match(
        served.lastReloadError!.message,
        /models:\/communities-crime@champion.*checksum mismatch/,
      );
      await registry.setAlias(MODEL, "champion", "2");
    });

    await t.step("a missing alias is a clear error", async () => {
      const source = mlflowSource({
        client: server.client,
        locator: { ...locator, alias: "nonexistent" },
        cache: new BundleCache(cacheDir),
      });
      await assert.rejects(
        source.fetch(),
        /models:\/communities-crime@nonexistent: no such model or alias/,
      );
    });

    await t.step("with MLflow unreachable, a restart serves the cached bundle", async () => {
      const dead = `http://127.0.0.1:${freePort()}`;
      const { app: restarted, slot } = await harness(undefined, {
        source: mlflowSource({ client: quick(dead), locator, cache: new BundleCache(cacheDir) }),
      });
      const served = ModelInfoResponseSchema.parse(
        await (await restarted.request("/model/info")).json(),
      );
      assert.equal(served.version, "2");
      assert.equal(served.origin, "cache");
      assert.equal(served.checksum, v2.checksum);
      assert.match(
        served.lastReloadError!.message,
        /registry was unreachable at start-up.*cached version 2/,
      );
      assert.equal((await postJson(restarted, "/predict", randomRow(v2, 1))).status, 200);
      const reload = await slot.reload("poll");
      assert.equal(
        reload.status,
        "failed",
        "once serving, an unreachable registry is a failed reload",
      );
    });

    await t.step("with MLflow unreachable and no cache, the load fails and says why", async () => {
      const dead = `http://127.0.0.1:${freePort()}`;
      const source = mlflowSource({
        client: quick(dead),
        locator,
        cache: new BundleCache(join(scratch, "empty")),
      });
      await assert.rejects(
        source.fetch(),
        /registry is unreachable .* and no cached bundle exists/,
      );
    });

    await t.step(
      "a damaged cache file: ignored and replaced while MLflow answers, named when it does not",
      async () => {
        const damagedDir = join(scratch, "damaged");
        await Deno.mkdir(damagedDir);
        const damaged = new BundleCache(damagedDir);
        const dead = `http://127.0.0.1:${freePort()}`;
        const offline = mlflowSource({ client: quick(dead), locator, cache: damaged });
        const file = damaged.fileFor(offline.uri);
        const good = await Deno.readTextFile(new BundleCache(cacheDir).fileFor(offline.uri));
        // Cut in half, as a full disk or a copy gone wrong would leave it.
        const truncated = good.slice(0, good.length / 2);
        await Deno.writeTextFile(file, truncated);
        await assert.rejects(
          offline.fetch(),
          (error: Error) => {
            assert.match(error.message, /registry is unreachable .* and the cached bundle at /);
            assert.match(error.message, /not a bundle cache file/);
            assert.ok(error.message.includes(file), error.message);
            return true;
          },
        );
        assert.equal(
          await Deno.readTextFile(file),
          truncated,
          "the damaged file is left as it was",
        );
        // One changed digit: the checksum check refuses it, and says so.
        await Deno.writeTextFile(
          file,
          good.replace(/(\d)(\d)(?=[,\]])/, (_, a, b) => `${a}${(Number(b) + 1) % 10}`),
        );
        await assert.rejects(offline.fetch(), /cached bundle at .*checksum/);
        const { slot } = await harness(undefined, {
          source: mlflowSource({ client: server.client, locator, cache: damaged }),
        });
        assert.equal(slot.model?.identity.origin, "mlflow");
        assert.equal((await damaged.read(offline.uri))?.fetched.identity.version, "2", "replaced");
      },
    );

    await t.step("the server process loads models:/ URIs at start-up", async () => {
      const process = await spawnServer([
        ...sourceCommand(),
        ...["--port", "0", "--prediction-log", "off"],
        ...["--model", "models:/communities-crime@champion", "--mlflow-uri", server.uri],
        ...["--cache-dir", join(scratch, "process-cache")],
      ]);
      try {
        let status = 503;
        for (let i = 0; i < 100 && status !== 200; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const ready = await fetch(`${process.url}/ready`);
          status = ready.status;
          await ready.body?.cancel();
        }
        assert.equal(status, 200);
        const served = await (await fetch(`${process.url}/model/info`)).json();
        assert.equal(served.version, "2");
        assert.equal(served.origin, "mlflow");
      } finally {
        assert.equal((await process.stop()).code, 0);
      }
    });

    await t.step("after MLflow is stopped, the cache still serves a restart", async () => {
      await server.stop();
      const { app: restarted } = await harness(undefined, {
        source: mlflowSource({
          client: quick(server.uri),
          locator,
          cache: new BundleCache(cacheDir),
        }),
      });
      const served = ModelInfoResponseSchema.parse(
        await (await restarted.request("/model/info")).json(),
      );
      assert.equal(served.origin, "cache");
      assert.equal(served.version, "2");
    });
  } finally {
    await server.stop().catch(() => {});
    await Deno.remove(scratch, { recursive: true });
  }
});

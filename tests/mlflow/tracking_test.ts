import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowError } from "../../pipeline/mlflow/errors.ts";
import {
  ensureLocalServer,
  ensureTrackingServer,
  trackingServerStatus,
} from "../../pipeline/mlflow/local_server.ts";
import { PARENT_RUN_TAG } from "../../pipeline/mlflow/tracking.ts";
import { HttpTransport } from "../../pipeline/mlflow/transport.ts";
import { z } from "zod";
import { freePort, startTestServer } from "../support/mlflow_server.ts";
import {
  CUSTOM_MODEL_DEVELOPMENT,
  EXPERIMENT_KIND_TAG,
} from "../../pipeline/mlflow/system_tags.ts";

Deno.test("tracking and artifacts against a real MLflow server", async (t) => {
  const server = await startTestServer();
  const { tracking, artifacts } = server.client;
  try {
    const experiment = await tracking.getOrCreateExperiment("tracking-test");
    const newRun = async (runName: string, parentRunId?: string) =>
      await tracking.createRun({ experimentId: experiment.experiment_id, runName, parentRunId });

    await t.step("getOrCreateExperiment is idempotent", async () => {
      const again = await tracking.getOrCreateExperiment("tracking-test");
      assert.equal(again.experiment_id, experiment.experiment_id);
      assert.equal(await tracking.getExperimentByName("no-such-experiment"), undefined);
    });

    await t.step("getOrCreateExperiment restores a deleted experiment", async () => {
      const doomed = await tracking.getOrCreateExperiment("deleted-in-ui");
      await new HttpTransport(server.uri, { credentials: null }).json(
        "POST",
        "/api/2.0/mlflow/experiments/delete",
        z.object({}),
        { json: { experiment_id: doomed.experiment_id } },
      );
      assert.equal(
        (await tracking.getExperimentByName("deleted-in-ui"))?.lifecycle_stage,
        "deleted",
      );
      const restored = await tracking.getOrCreateExperiment("deleted-in-ui");
      assert.equal(restored.experiment_id, doomed.experiment_id);
      assert.equal(
        (await tracking.getExperimentByName("deleted-in-ui"))?.lifecycle_stage,
        "active",
      );
    });

    await t.step("experiment tags are set on creation, and added only where missing", async () => {
      const kind = { [EXPERIMENT_KIND_TAG]: CUSTOM_MODEL_DEVELOPMENT };
      const created = await tracking.getOrCreateExperiment("kind-on-create", kind);
      assert.equal(created.tags[EXPERIMENT_KIND_TAG], "custom_model_development");
      // An experiment from before the tag gets it; one whose kind was changed keeps its own.
      const older = await tracking.getOrCreateExperiment("kind-added-later");
      assert.equal(older.tags[EXPERIMENT_KIND_TAG], undefined);
      await tracking.getOrCreateExperiment("kind-added-later", kind);
      const read = await tracking.getExperimentByName("kind-added-later");
      assert.equal(read?.tags[EXPERIMENT_KIND_TAG], "custom_model_development");
      await tracking.setExperimentTag(
        older.experiment_id,
        EXPERIMENT_KIND_TAG,
        "genai_development",
      );
      const kept = await tracking.getOrCreateExperiment("kind-added-later", kind);
      assert.equal(kept.tags[EXPERIMENT_KIND_TAG], "genai_development");
      assert.equal(
        (await tracking.getExperimentByName("kind-added-later"))?.tags[EXPERIMENT_KIND_TAG],
        "genai_development",
      );
    });

    await t.step("nested runs carry the parent tag and can be searched", async () => {
      const parent = await newRun("parent");
      const children = [
        await newRun("fold-0", parent.info.run_id),
        await newRun("fold-1", parent.info.run_id),
      ];
      const child = await tracking.getRun(children[0].info.run_id);
      assert.equal(child.data.tags[PARENT_RUN_TAG], parent.info.run_id);
      assert.equal(child.info.run_name, "fold-0");

      const found = await tracking.searchRuns({
        experimentIds: [experiment.experiment_id],
        filter: `tags.${PARENT_RUN_TAG} = '${parent.info.run_id}'`,
        orderBy: ["attributes.run_name ASC"],
      });
      assert.deepEqual(found.map((r) => r.info.run_name), ["fold-0", "fold-1"]);

      const ended = await tracking.terminateRun(parent.info.run_id, "FAILED", 1_700_000_000_000);
      assert.equal(ended.status, "FAILED");
      assert.equal(ended.end_time, 1_700_000_000_000);
    });

    await t.step("logBatch chunks past the API limits and metric history keeps steps", async () => {
      const run = await newRun("batch");
      const metrics = Array.from({ length: 2400 }, (_, i) => ({
        key: `curve_${i % 2}`,
        value: i % 2 === 0 ? i / 2 : -i,
        step: Math.floor(i / 2),
      }));
      const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i * 0.5]));
      const requests = await tracking.logBatch(run.info.run_id, {
        metrics,
        params,
        tags: { stage: "cv" },
      });
      assert.ok(requests >= 3, `${requests} requests`);

      const logged = await tracking.getRun(run.info.run_id);
      assert.equal(Object.keys(logged.data.params).length, 150);
      assert.equal(logged.data.params.p3, "1.5");
      assert.equal(logged.data.tags.stage, "cv");
      assert.deepEqual(logged.data.metrics, { curve_0: 1199, curve_1: -2399 });

      const history = await tracking.getMetricHistory(run.info.run_id, "curve_0");
      assert.equal(history.length, 1200);
      assert.deepEqual(history.map((m) => m.step), history.map((_, i) => i));
      assert.deepEqual(history.map((m) => m.value), history.map((_, i) => i));
    });

    await t.step("non-finite metrics and dataset inputs round trip", async () => {
      const run = await newRun("inputs");
      await tracking.logBatch(run.info.run_id, { metrics: [{ key: "loss", value: Number.NaN }] });
      await tracking.logInputs(run.info.run_id, [{
        name: "communities-crime",
        digest: "0123abcd",
        source: "data/processed/train.csv",
        context: "training",
        profile: JSON.stringify({ num_rows: 1595 }),
      }]);
      const logged = await tracking.getRun(run.info.run_id);
      assert.ok(Number.isNaN(logged.data.metrics.loss));
      const [input] = logged.inputs.dataset_inputs;
      assert.equal(input.dataset.name, "communities-crime");
      assert.equal(input.dataset.digest, "0123abcd");
      assert.equal(input.tags["mlflow.data.context"], "training");
    });

    await t.step("artifacts upload and download byte for byte", async () => {
      const run = await newRun("artifacts");
      const root = run.info.artifact_uri;
      assert.equal(
        root,
        `mlflow-artifacts:/${experiment.experiment_id}/${run.info.run_id}/artifacts`,
      );
      const binary = crypto.getRandomValues(new Uint8Array(65536));
      binary.set([0, 255, 10, 13, 0], 0);
      await artifacts.upload(root, "model/weights.bin", binary);
      await artifacts.upload(root, "model/model.json", '{"format":"layers-model"}');

      assert.deepEqual(await artifacts.download(root, "model/weights.bin"), binary);
      assert.deepEqual(await artifacts.list(root), [{ path: "model", is_dir: true }]);
      assert.deepEqual(await artifacts.list(root, "model"), [
        { path: "model/model.json", is_dir: false, file_size: 25 },
        { path: "model/weights.bin", is_dir: false, file_size: 65536 },
      ]);
      // The files land in the directory the server was given as --artifacts-destination.
      const onDisk = join(server.stateDir, "artifacts", experiment.experiment_id, run.info.run_id);
      assert.deepEqual(await Deno.readFile(join(onDisk, "artifacts/model/weights.bin")), binary);

      const local = await Deno.makeTempDir();
      try {
        await Deno.mkdir(join(local, "up/nested"), { recursive: true });
        await Deno.writeFile(join(local, "up/nested/a.bin"), binary.subarray(0, 100));
        await Deno.writeTextFile(join(local, "up/b.txt"), "b");
        assert.deepEqual(await artifacts.uploadDirectory(root, "tree", join(local, "up")), [
          "tree/b.txt",
          "tree/nested/a.bin",
        ]);
        await artifacts.downloadDirectory(root, "tree", join(local, "down"));
        assert.deepEqual(
          await Deno.readFile(join(local, "down/nested/a.bin")),
          binary.subarray(0, 100),
        );
        assert.equal(await Deno.readTextFile(join(local, "down/b.txt")), "b");
      } finally {
        await Deno.remove(local, { recursive: true });
      }
    });

    await t.step("a 4xx answer is an MlflowError naming the server and the call", async () => {
      const error = await tracking.getRun("no-such-run").catch((e) => e);
      assert.ok(error instanceof MlflowError);
      assert.equal(error.status, 404);
      assert.equal(error.errorCode, "RESOURCE_DOES_NOT_EXIST");
      assert.match(
        error.message,
        new RegExp(`^MLflow GET /api/2.0/mlflow/runs/get at ${server.uri} failed: 404`),
      );

      const run = await newRun("params");
      await tracking.logBatch(run.info.run_id, { params: { alpha: 1 } });
      await assert.rejects(
        tracking.logBatch(run.info.run_id, { params: { alpha: 2 } }),
        (e) => e instanceof MlflowError && e.status === 400 && /runs\/log-batch/.test(e.message),
      );
    });

    await t.step("the running local server is reused, not restarted", async () => {
      const before = await trackingServerStatus({ stateDir: server.stateDir, port: server.port });
      const started = performance.now();
      assert.equal(
        await ensureLocalServer({
          stateDir: server.stateDir,
          port: server.port,
          backendStoreUri: "",
        }),
        server.uri,
      );
      assert.ok(performance.now() - started < 2000);
      const after = await trackingServerStatus({ stateDir: server.stateDir, port: server.port });
      assert.equal(after.problem, undefined);
      assert.equal(after.pid, before.pid);
      assert.ok(after.pid !== undefined);
    });

    await t.step("a configured tracking URI is used as is, and must be reachable", async () => {
      assert.equal(await ensureTrackingServer({ trackingUri: server.uri }), server.uri);
      const down = `http://127.0.0.1:${freePort()}`;
      await assert.rejects(
        ensureTrackingServer({ trackingUri: down }),
        new RegExp(`MLflow tracking server ${down} is not reachable: .*Connection refused`),
      );
    });
  } finally {
    await server.stop();
  }
  const status = await trackingServerStatus({ stateDir: server.stateDir, port: server.port });
  assert.ok(status.problem !== undefined, "server still answers after stop");
});

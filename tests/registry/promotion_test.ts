import assert from "node:assert/strict";
import type { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { failedGates } from "../../pipeline/registry/gate_result.ts";
import {
  DECISION_TAG,
  pendingChallenger,
  promote,
  type PromotionRequest,
} from "../../pipeline/registry/promotion.ts";
import { LOCK_TAG } from "../../pipeline/registry/promotion_lock.ts";
import { registerBundle } from "../../pipeline/registry/registration.ts";
import { rollback } from "../../pipeline/registry/rollback.ts";
import { runSystemTags } from "../../pipeline/stage_support/run_source.ts";
import { startTestServer } from "../support/mlflow_server.ts";
import { promotionRequest, trainRun } from "../support/registry_fixtures.ts";
import { testBundle } from "../support/test_bundle.ts";

const NAME = "crime-test";
const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };

async function registered(client: MlflowClient, cvRmse: number, dataHash = "d".repeat(64)) {
  const metrics = { cv_rmse: cvRmse, cv_r2: 0.65, cv_fold_rmse_max: 0.18 };
  const bundle = await testBundle({ inputs: 5, metrics, dataHash });
  const run = await trainRun(client, bundle, "train-test");
  const { version } = await registerBundle(client, { name: NAME, bundle, run, split });
  return { version: version.version, run, bundle };
}

const aliases = async (client: MlflowClient) =>
  (await client.registry.getRegisteredModel(NAME))!.aliases;

Deno.test("registration and promotion against a real MLflow server", async (t) => {
  const server = await startTestServer();
  const { client } = server;
  const request: PromotionRequest = promotionRequest(NAME);
  try {
    assert.deepEqual(await pendingChallenger(client, NAME), { state: "none" }, "no model yet");
    const v1 = await registered(client, 0.14);
    assert.deepEqual(await pendingChallenger(client, NAME), {
      state: "waiting",
      version: v1.version,
    });

    await t.step(
      "registration tags the version, makes it challenger and is reused for the same run",
      async () => {
        const mv = await client.registry.getModelVersion(NAME, v1.version);
        assert.equal(mv.status, "READY");
        assert.equal(mv.run_id, v1.run.runId);
        assert.equal(mv.source, `${v1.run.artifactUri}/model`);
        assert.equal(mv.tags["metric.cv_rmse"], "0.140000");
        assert.equal(mv.tags.data_sha256, "d".repeat(64));
        assert.equal(mv.tags.family, "ridge");
        assert.equal((await aliases(client)).challenger, v1.version);
        const again = await registerBundle(client, {
          name: NAME,
          bundle: v1.bundle,
          run: v1.run,
          split,
        });
        assert.equal(again.reused, true);
        assert.equal(again.version.version, v1.version);
      },
    );

    await t.step(
      "the first promotion uses absolute and sanity gates and makes champion",
      async () => {
        const outcome = await promote(client, request);
        assert.equal(outcome.promoted, true, JSON.stringify(outcome.gates));
        assert.equal(outcome.gates.some((g) => g.name === "beats_champion"), false);
        assert.deepEqual(await aliases(client), { champion: v1.version });
        const mv = await client.registry.getModelVersion(NAME, v1.version);
        assert.match(mv.tags["gate.max_cv_rmse"], /^pass 0\.14/);
        const run = await client.tracking.getRun(outcome.runId!);
        assert.equal(run.info.run_name, `promotion v${v1.version}`);
        assert.equal(run.data.metrics.promoted, 1);
        assert.equal(run.data.tags["mlflow.user"], runSystemTags()["mlflow.user"]);
        assert.match(run.data.tags["mlflow.source.type"], /^(LOCAL|JOB)$/);
      },
    );

    await t.step("registering the champion's run again does not make it challenger", async () => {
      const again = await registerBundle(client, {
        name: NAME,
        bundle: v1.bundle,
        run: v1.run,
        split,
      });
      assert.equal(again.reused, true);
      assert.deepEqual(await aliases(client), { champion: v1.version });
    });

    await t.step("a worse challenger is refused, naming the failed gate", async () => {
      const v2 = await registered(client, 0.145);
      const outcome = await promote(client, request);
      assert.equal(outcome.version, v2.version);
      assert.equal(outcome.promoted, false);
      assert.deepEqual(failedGates(outcome.gates), ["beats_champion"]);
      assert.equal((await aliases(client)).champion, v1.version);
      const mv = await client.registry.getModelVersion(NAME, v2.version);
      assert.match(mv.tags["gate.beats_champion"], /^fail/);
      assert.equal(mv.tags[DECISION_TAG], "refused: beats_champion");
      // Gated once: `promote-model --if-challenger` leaves a refused challenger alone.
      assert.deepEqual(await pendingChallenger(client, NAME), {
        state: "gated",
        version: v2.version,
        decision: "refused: beats_champion",
      });
    });

    const v3 = await registered(client, 0.12);
    await t.step("a dry run decides but changes nothing", async () => {
      const before = await client.registry.getModelVersion(NAME, v3.version);
      const outcome = await promote(client, { ...request, dryRun: true });
      assert.deepEqual(failedGates(outcome.gates), []);
      assert.equal(outcome.promoted, false);
      assert.equal(outcome.runId, undefined);
      assert.deepEqual(await aliases(client), { champion: v1.version, challenger: v3.version });
      assert.deepEqual((await client.registry.getModelVersion(NAME, v3.version)).tags, before.tags);
      assert.equal(
        (await pendingChallenger(client, NAME)).state,
        "waiting",
        "a dry run gates nothing",
      );
    });

    await t.step(
      "a better challenger becomes champion and the old one previous-champion",
      async () => {
        const outcome = await promote(client, request);
        assert.equal(outcome.promoted, true);
        assert.deepEqual(await aliases(client), {
          champion: v3.version,
          "previous-champion": v1.version,
        });
      },
    );

    await t.step("rollback restores the previous champion", async () => {
      assert.deepEqual(
        await rollback(client, { name: NAME, lockTtlMs: 60_000, lockSettleMs: 50 }),
        {
          from: v3.version,
          to: v1.version,
        },
      );
      assert.deepEqual(await aliases(client), { champion: v1.version });
      await assert.rejects(
        rollback(client, { name: NAME, lockTtlMs: 60_000, lockSettleMs: 50 }),
        /no previous-champion/,
      );
    });

    await t.step("a challenger trained on other data is not compared", async () => {
      await registered(client, 0.1, "e".repeat(64));
      const outcome = await promote(client, request);
      assert.deepEqual(failedGates(outcome.gates), ["same_data", "beats_champion"]);
      assert.equal((await aliases(client)).champion, v1.version);
    });

    await t.step("a promotion held by someone else is refused without changes", async () => {
      const held = { owner: "other", acquiredAt: "now", expiresAt: Date.now() + 60_000 };
      await client.registry.setRegisteredModelTag(NAME, LOCK_TAG, JSON.stringify(held));
      await assert.rejects(promote(client, request), /holds the lock \(other/);
      assert.equal((await aliases(client)).champion, v1.version);
    });
  } finally {
    await server.stop();
  }
});

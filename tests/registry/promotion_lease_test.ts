/**
 * A promotion killed while it holds the lock, against a real MLflow server: the lock is
 * a lease its holder renews, so a SIGKILLed holder's lock lapses within the lease time,
 * and `promote-model --unlock` frees it at once once its owner process is gone. A live
 * holder's lock is never taken, by a promotion or by `--unlock`.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import type { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { promote, type PromotionRequest } from "../../pipeline/registry/promotion.ts";
import {
  acquirePromotionLock,
  activeLock,
  LOCK_TAG,
} from "../../pipeline/registry/promotion_lock.ts";
import { registerBundle } from "../../pipeline/registry/registration.ts";
import { startTestServer } from "../support/mlflow_server.ts";
import { promotionRequest, trainRun } from "../support/registry_fixtures.ts";
import { testBundle } from "../support/test_bundle.ts";

const root = resolve(".");
const NAME = "crime-lease-test";
const LEASE_MS = 4000; // renewed every 1.3 s: slack for a loaded machine
const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };

async function registered(client: MlflowClient, cvRmse: number): Promise<string> {
  const metrics = { cv_rmse: cvRmse, cv_r2: 0.65, cv_fold_rmse_max: 0.18 };
  const bundle = await testBundle({ inputs: 5, metrics, dataHash: "d".repeat(64) });
  const run = await trainRun(client, bundle, "lease-test");
  return (await registerBundle(client, { name: NAME, bundle, run, split })).version.version;
}

interface Holder {
  readonly process: Deno.ChildProcess;
  readonly owner: string;
}

/** Starts a process that takes the lock with a `leaseMs` lease and holds it. */
async function holdLock(uri: string, leaseMs: number): Promise<Holder> {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(root, "tests/support/hold_promotion_lock.ts"),
      uri,
      NAME,
      `${leaseMs}`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) assert.fail(`the lock holder exited: ${out}`);
    out += value;
  }
  reader.releaseLock();
  process.stdout.cancel().catch(() => {});
  const owner = /^locked (.*)$/m.exec(out)?.[1];
  assert.ok(owner, out);
  return { process, owner };
}

async function kill(holder: Holder): Promise<void> {
  holder.process.kill("SIGKILL");
  assert.equal((await holder.process.status).signal, "SIGKILL");
}

/** `promote-model --unlock` as a user runs it. */
async function unlock(uri: string): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "promote-model", "--unlock", "--name", NAME],
    cwd: root,
    env: { MLFLOW_TRACKING_URI: uri },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

const lockOf = async (client: MlflowClient) =>
  activeLock((await client.registry.getRegisteredModel(NAME))?.tags[LOCK_TAG], Date.now());
const champion = async (client: MlflowClient) =>
  (await client.registry.getRegisteredModel(NAME))?.aliases.champion;

Deno.test("a killed promotion's lock lapses or is unlocked; a live one's is never taken", async (t) => {
  const server = await startTestServer();
  const { client } = server;
  const request: PromotionRequest = { ...promotionRequest(NAME), lockTtlMs: LEASE_MS };
  try {
    const v1 = await registered(client, 0.14);

    await t.step("a live holder keeps its lock well past the lease time", async () => {
      const holder = await holdLock(server.uri, LEASE_MS);
      try {
        const until = Date.now() + 2.5 * LEASE_MS;
        while (Date.now() < until) {
          await assert.rejects(promote(client, request), /holds the lock/);
          assert.equal((await lockOf(client))?.owner, holder.owner);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const refused = await unlock(server.uri);
        assert.notEqual(refused.code, 0, refused.text);
        assert.match(refused.text, new RegExp(`pid ${holder.process.pid}.* is running`));
        assert.equal((await lockOf(client))?.owner, holder.owner, "--unlock left it alone");
        assert.equal(await champion(client), undefined);
      } finally {
        await kill(holder);
      }
    });

    await t.step("once the holder is killed, a promotion succeeds within the lease", async () => {
      // The holder above was killed at the end of the previous step.
      const killedAt = Date.now();
      let outcome;
      while (outcome === undefined) {
        try {
          outcome = await promote(client, request);
        } catch (error) {
          assert.match(String(error), /holds the lock/);
          assert.ok(Date.now() - killedAt < LEASE_MS + 2000, "the lock outlived its lease");
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      assert.equal(outcome.promoted, true);
      assert.equal(await champion(client), v1);
    });

    await t.step("--unlock frees a killed holder's lock at once", async () => {
      const v2 = await registered(client, 0.12);
      const holder = await holdLock(server.uri, 600_000);
      await kill(holder);
      await assert.rejects(promote(client, request), /holds the lock/);
      const freed = await unlock(server.uri);
      assert.equal(freed.code, 0, freed.text);
      assert.match(freed.text, new RegExp(`removed the promotion lock.*pid ${holder.process.pid}`));
      assert.equal(await lockOf(client), undefined);
      const outcome = await promote(client, request);
      assert.equal(outcome.promoted, true);
      assert.equal(await champion(client), v2);
    });

    await t.step(
      "a holder whose lock was taken over stops renewing and fails to confirm",
      async () => {
        const lock = await acquirePromotionLock(client, NAME, { ttlMs: 900, settleMs: 20 });
        const other = { owner: "other", acquiredAt: "now", expiresAt: Date.now() + 60_000 };
        await client.registry.setRegisteredModelTag(NAME, LOCK_TAG, JSON.stringify(other));
        await new Promise((resolve) => setTimeout(resolve, 700));
        await assert.rejects(lock.confirm(), /lost the promotion lock .* to other \(taken over/);
        await lock.release();
        assert.equal(
          (await lockOf(client))?.owner,
          "other",
          "release leaves the new holder's lock",
        );
      },
    );

    await t.step("--unlock does not touch a lock held from another host", async () => {
      const held = {
        owner: "elsewhere",
        acquiredAt: new Date().toISOString(),
        expiresAt: Date.now() + 600_000,
        host: "some-other-host",
        pid: 1,
      };
      await client.registry.setRegisteredModelTag(NAME, LOCK_TAG, JSON.stringify(held));
      const refused = await unlock(server.uri);
      assert.notEqual(refused.code, 0, refused.text);
      assert.match(refused.text, /some-other-host/);
      assert.equal((await lockOf(client))?.owner, "elsewhere");
    });
  } finally {
    await server.stop();
  }
});

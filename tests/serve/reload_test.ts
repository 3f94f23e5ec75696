import assert from "node:assert/strict";
import { join } from "node:path";
import { sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import {
  ErrorResponseSchema,
  ModelInfoResponseSchema,
  ReloadResponseSchema,
} from "../../serve/contract/api_schemas.ts";
import type { FetchedBundle } from "../../serve/model/model_source.ts";
import { fileSource } from "../../serve/model/model_source_file.ts";
import {
  loadUntilServed,
  pollForUpdates,
  STARTUP_BACKOFF,
  startupBackoff,
} from "../../serve/model/reload_schedule.ts";
import { harness, postJson } from "../support/serve_harness.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";

const v1 = await testBundle({ seed: 1 });
const v2 = await testBundle({ seed: 2, shift: 0.1 });
const version = (b: typeof v1) => b.checksum.slice(0, 12);
const row = randomRow(v1, 3);

async function predictedVersion(app: Awaited<ReturnType<typeof harness>>["app"]): Promise<string> {
  const response = await postJson(app, "/predict", row);
  assert.equal(response.status, 200);
  return (await response.json()).modelVersion;
}

Deno.test("POST /admin/reload swaps in a new bundle, then reports it unchanged", async () => {
  const { app, source } = await harness(v1);
  source.bundle = v2;
  const reloaded = await app.request("/admin/reload", { method: "POST" });
  assert.equal(reloaded.status, 200);
  assert.deepEqual(ReloadResponseSchema.parse(await reloaded.json()), {
    status: "reloaded",
    version: version(v2),
    previousVersion: version(v1),
  });
  assert.equal(await predictedVersion(app), version(v2));
  const again = await app.request("/admin/reload", { method: "POST" });
  assert.deepEqual(await again.json(), {
    status: "unchanged",
    version: version(v2),
    previousVersion: version(v2),
  });
});

Deno.test("a broken bundle file keeps the old model serving and reports why", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "bundle.json");
    await writeBundle(path, v1);
    const { app, metrics, logs } = await harness(undefined, { source: fileSource(path) });
    await Deno.writeTextFile(path, JSON.stringify({ ...v2, checksum: v1.checksum }));

    const failed = await app.request("/admin/reload", { method: "POST" });
    assert.equal(failed.status, 502);
    const error = ErrorResponseSchema.parse(await failed.json());
    assert.equal(error.error, "reload_failed");
    assert.match(error.message, /checksum mismatch.*still serving version/);
    assert.equal(await predictedVersion(app), version(v1));

    const info = ModelInfoResponseSchema.parse(await (await app.request("/model/info")).json());
    assert.equal(info.version, version(v1));
    assert.match(info.lastReloadError!.message, /checksum mismatch/);
    assert.equal(metrics.reloads.get(["failed"]), 1);
    assert.ok(
      logs.some((l) => l.level === "error" && l.msg === "reload failed; the current model stays"),
    );

    await writeBundle(path, v2);
    assert.equal((await app.request("/admin/reload", { method: "POST" })).status, 200);
    const healed = ModelInfoResponseSchema.parse(await (await app.request("/model/info")).json());
    assert.equal(healed.version, version(v2));
    assert.equal(healed.lastReloadError, null, "a successful reload clears the error");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bundle that passes its checksum but cannot predict is not swapped in", async () => {
  const { app, source } = await harness(v1);
  source.bundle = await sealBundle({
    ...structuredClone(v2),
    model: { ...v2.model, family: "mystery" },
  });
  const failed = await app.request("/admin/reload", { method: "POST" });
  assert.equal(failed.status, 502);
  assert.match((await failed.json()).message, /unknown model family "mystery"/);
  assert.equal(await predictedVersion(app), version(v1));
});

Deno.test("with an admin token, reload needs it", async () => {
  const token = "s3cret-token-0123456789";
  const { app } = await harness(v1, { adminToken: token });
  const none = await app.request("/admin/reload", { method: "POST" });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="admin"');
  assert.equal(ErrorResponseSchema.parse(await none.json()).error, "unauthorized");
  const wrong = await app.request("/admin/reload", {
    method: "POST",
    headers: { authorization: "Bearer nope" },
  });
  assert.equal(wrong.status, 401);
  assert.match((await wrong.json()).message, /wrong/);
  const right = await app.request("/admin/reload", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(right.status, 200);
  assert.equal((await app.request("/health")).status, 200, "other routes need no token");
});

Deno.test("concurrent reloads share one fetch", async () => {
  const { slot, source } = await harness(v1);
  let fetches = 0;
  const fetch = source.fetch.bind(source);
  source.fetch = (current?: FetchedBundle) => (fetches++, fetch(current));
  source.bundle = v2;
  const outcomes = await Promise.all([slot.reload("a"), slot.reload("b"), slot.reload("c")]);
  assert.equal(fetches, 1);
  assert.ok(
    outcomes.every((o) => o.status === "reloaded" && o.model.identity.version === version(v2)),
  );
});

Deno.test("the first load is retried until the source answers", async () => {
  const { slot, source } = await harness(undefined);
  source.error = "not yet";
  setTimeout(() => {
    source.error = undefined;
    source.bundle = v1;
  }, 30);
  const stop = new AbortController();
  assert.equal(await loadUntilServed(slot, stop.signal, { initialMs: 10, maxMs: 20 }), true);
  assert.equal(slot.model?.identity.version, version(v1));
});

Deno.test("first-load retries are never further apart than the configured polls", () => {
  assert.deepEqual(startupBackoff(5000), { initialMs: 1000, maxMs: 5000 });
  assert.deepEqual(startupBackoff(200), { initialMs: 200, maxMs: 200 });
  assert.deepEqual(startupBackoff(0), STARTUP_BACKOFF);
  assert.deepEqual(startupBackoff(120_000), STARTUP_BACKOFF);
});

Deno.test("the first-load retries stop when aborted", async () => {
  const { slot, source } = await harness(undefined);
  source.error = "never";
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 30);
  assert.equal(await loadUntilServed(slot, stop.signal, { initialMs: 10, maxMs: 10 }), false);
});

Deno.test("polling picks up a new bundle and keeps the old one through failures", async () => {
  const { slot, source, metrics } = await harness(v1);
  const stop = new AbortController();
  const polling = pollForUpdates(slot, 10, stop.signal);
  source.error = "registry hiccup";
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(slot.model?.identity.version, version(v1));
  assert.ok(metrics.reloads.get(["failed"]) >= 1);
  source.error = undefined;
  source.bundle = v2;
  await new Promise((resolve) => setTimeout(resolve, 40));
  stop.abort();
  await polling;
  assert.equal(slot.model?.identity.version, version(v2));
  assert.equal(slot.lastError, undefined);
});

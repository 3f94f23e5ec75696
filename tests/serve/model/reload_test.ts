import assert from "node:assert/strict";
import type { FetchedBundle } from "../../../serve/model/model_source.ts";
import {
  loadUntilServed,
  pollForUpdates,
  STARTUP_BACKOFF,
  startupBackoff,
} from "../../../serve/model/reload_schedule.ts";
import { harness } from "../../support/serve_harness.ts";
import { testBundle } from "../../support/test_bundle.ts";

const v1 = await testBundle({ seed: 1 });
const v2 = await testBundle({ seed: 2, shift: 0.1 });
const version = (b: typeof v1) => b.checksum.slice(0, 12);

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

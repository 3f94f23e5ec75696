/**
 * `GET /health` and `GET /ready`, in-process: liveness needs no model, readiness waits for one
 * and says why while it does.
 */
import assert from "node:assert/strict";
import { ReadyResponseSchema } from "../../../../serve/contract/api_schemas.ts";
import { harness } from "../../../support/serve_harness.ts";
import { testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("GET /health answers while no model is loaded", async () => {
  const { app } = await harness(undefined);
  const response = await app.request("/health");
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: "ok" });
});

Deno.test("GET /ready is 503 with the reason until a model is loaded, then 200", async () => {
  const { app, slot, source } = await harness(undefined);
  source.error = "registry down";
  await slot.reload("startup");
  const before = await app.request("/ready");
  assert.equal(before.status, 503);
  assert.equal(before.headers.get("retry-after"), "5");
  const body = ReadyResponseSchema.parse(await before.json());
  assert.equal(body.status, "not_ready");
  assert.match(body.reason!, /registry down/);

  source.error = undefined;
  source.bundle = bundle;
  await slot.reload("startup");
  const after = await app.request("/ready");
  assert.equal(after.status, 200);
  assert.deepEqual(await after.json(), {
    status: "ready",
    modelVersion: bundle.checksum.slice(0, 12),
  });
});

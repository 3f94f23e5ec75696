/** `GET /model/info`, in-process: the served model's identity, metrics and features. */
import assert from "node:assert/strict";
import { ModelInfoResponseSchema } from "../../../../serve/contract/api_schemas.ts";
import { harness } from "../../../support/serve_harness.ts";
import { testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("GET /model/info describes the served model", async () => {
  const { app } = await harness(bundle);
  const response = await app.request("/model/info");
  assert.equal(response.status, 200);
  const info = ModelInfoResponseSchema.parse(await response.json());
  assert.equal(info.name, "communities-crime");
  assert.equal(info.family, "ridge");
  assert.equal(info.checksum, bundle.checksum);
  assert.equal(info.trainedAt, bundle.provenance.trainedAt);
  assert.deepEqual(info.metrics, bundle.metrics);
  assert.equal(info.features.length, 122);
  assert.equal(info.lastReloadError, null);
  assert.equal(info.alias, null);
});

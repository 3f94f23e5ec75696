/**
 * What the app does around every route, in-process: request ids, `not_ready` before the
 * first load, the JSON 404, internal errors without internals, log levels by outcome.
 */
import assert from "node:assert/strict";
import { ErrorResponseSchema } from "../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const row = randomRow(bundle, 7);

async function errorOf(response: Response) {
  return ErrorResponseSchema.parse(await response.json());
}

Deno.test("model routes answer 503 not_ready before the first load", async () => {
  const { app } = await harness(undefined);
  for (
    const [method, path] of [["POST", "/predict"], ["POST", "/predict/batch"], [
      "GET",
      "/model/info",
    ], ["GET", "/openapi.json"]]
  ) {
    const response = await app.request(path, {
      method,
      body: method === "POST" ? "{}" : undefined,
    });
    assert.equal(response.status, 503, path);
    assert.equal((await errorOf(response)).error, "not_ready");
  }
});

Deno.test("x-request-id is echoed when valid and replaced when not", async () => {
  const { app } = await harness(bundle);
  const echoed = await postJson(app, "/predict", row, { "x-request-id": "client-42" });
  assert.equal(echoed.headers.get("x-request-id"), "client-42");
  assert.equal((await echoed.json()).requestId, "client-42");
  for (const bad of ["has space", "x".repeat(200), "semi;colon"]) {
    const replaced = await app.request("/health", { headers: { "x-request-id": bad } });
    assert.notEqual(replaced.headers.get("x-request-id"), bad);
    assert.match(replaced.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
  }
});

Deno.test("unknown routes are a JSON 404", async () => {
  const { app } = await harness(bundle);
  const response = await app.request("/predictions", { method: "POST" });
  assert.equal(response.status, 404);
  const error = await errorOf(response);
  assert.equal(error.error, "not_found");
  assert.match(error.message, /POST \/predictions/);
});

Deno.test("an internal error is a 500 without internals, logged with the request id", async () => {
  const { app, slot, logs } = await harness(bundle);
  const model = slot.model!;
  // A defective model: predict throws. The client sees a generic message only.
  Object.defineProperty(slot, "model", {
    get: () => ({
      ...model,
      predict: () => {
        throw new Error("secret detail");
      },
      predictRow: () => {
        throw new Error("secret detail");
      },
    }),
  });
  const response = await postJson(app, "/predict", row);
  assert.equal(response.status, 500);
  const error = await errorOf(response);
  assert.equal(error.error, "internal_error");
  assert.doesNotMatch(JSON.stringify(error), /secret detail|at /);
  const logged = logs.find((l) => l.msg === "unhandled error")!;
  assert.equal(logged.requestId, error.requestId);
  assert.equal(logged.error, "secret detail");
});

Deno.test("client errors are logged at info, successes at debug", async () => {
  const { app, logs } = await harness(bundle);
  await postJson(app, "/predict", row);
  await postJson(app, "/predict", "{");
  const requests = logs.filter((l) => l.msg === "request");
  assert.deepEqual(requests.map((l) => [l.level, l.status]), [["debug", 200], ["info", 400]]);
});

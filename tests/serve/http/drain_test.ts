import assert from "node:assert/strict";
import { harness } from "../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("draining waits for in-flight requests and turns new ones away", async () => {
  const { app, drain } = await harness(bundle);
  const body = new TextEncoder().encode(JSON.stringify(randomRow(bundle, 1)));
  let finish!: () => void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body.subarray(0, 10));
      finish = () => {
        controller.enqueue(body.subarray(10));
        controller.close();
      };
    },
  });
  const inFlight = app.request("/predict", { method: "POST", body: stream });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(drain.inFlight, 1);

  let drained = false;
  const draining = drain.start().then(() => drained = true);
  const turnedAway = await app.request("/health");
  assert.equal(turnedAway.status, 503);
  assert.match((await turnedAway.json()).message, /shutting down/);
  assert.equal(drained, false);

  finish();
  assert.equal((await inFlight).status, 200);
  await draining;
  assert.equal(drain.inFlight, 0);
});

Deno.test("draining an idle server is immediate", async () => {
  const { drain } = await harness(bundle);
  await drain.start();
  assert.ok(drain.draining);
});

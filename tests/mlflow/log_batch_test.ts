import assert from "node:assert/strict";
import { BATCH_LIMITS, planBatches, type WireBatch } from "../../pipeline/mlflow/log_batch.ts";

function assertWithinLimits(batches: WireBatch[]): void {
  for (const batch of batches) {
    assert.ok(batch.metrics.length <= BATCH_LIMITS.metrics);
    assert.ok(batch.params.length <= BATCH_LIMITS.params);
    assert.ok(batch.tags.length <= BATCH_LIMITS.tags);
    assert.ok(batch.metrics.length + batch.params.length + batch.tags.length <= 1000);
    assert.ok(new TextEncoder().encode(JSON.stringify(batch)).length < 1_000_000);
  }
}

Deno.test("planBatches splits past every count limit and loses nothing", () => {
  const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: `m${i % 5}`, value: i, step: i }));
  const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, i]));
  const tags = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`t${i}`, `${i}`]));

  const batches = planBatches({ metrics, params, tags }, 42);

  assertWithinLimits(batches);
  // 250 params need 3 requests; tags and metrics then fill up the remaining room.
  assert.equal(batches.length, 6);
  assert.deepEqual(
    batches.flatMap((b) => b.metrics).map((m) => m.value),
    metrics.map((m) => m.value),
  );
  assert.equal(new Set(batches.flatMap((b) => b.params).map((p) => p.key)).size, 250);
  assert.equal(batches.flatMap((b) => b.tags).length, 150);
  assert.deepEqual(batches[0].params[7], { key: "p7", value: "7" });
});

Deno.test("planBatches splits long values to stay under the request size limit", () => {
  const params = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`p${i}`, "x".repeat(6000)]),
  );
  const tags = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`t${i}`, "y".repeat(8000)]),
  );

  const batches = planBatches({ params, tags });

  assertWithinLimits(batches);
  assert.ok(batches.length >= 2);
  assert.equal(batches.reduce((n, b) => n + b.params.length + b.tags.length, 0), 200);
});

Deno.test("planBatches encodes non-finite metrics as strings and fills defaults", () => {
  const [batch] = planBatches({
    metrics: [
      { key: "loss", value: Number.NaN },
      { key: "loss", value: Number.POSITIVE_INFINITY, step: 3, timestamp: 7 },
    ],
  }, 1234);

  assert.deepEqual(batch.metrics, [
    { key: "loss", value: "NaN", step: 0, timestamp: 1234 },
    { key: "loss", value: "Infinity", step: 3, timestamp: 7 },
  ]);
  assert.deepEqual(planBatches({}), []);
});

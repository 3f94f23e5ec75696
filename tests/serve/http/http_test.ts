import assert from "node:assert/strict";
import { harness } from "../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("every endpoint answers over real HTTP on loopback", async (t) => {
  const { app } = await harness(bundle, { limits: { maxBodyBytes: 3 << 20 } });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  };
  const post = (path: string, body: string) =>
    call(path, { method: "POST", body, headers: { "content-type": "application/json" } });
  const row = randomRow(bundle, 1, 2);
  try {
    await t.step("GET /health, /ready, /model/info, /openapi.json, /docs, /metrics", async () => {
      for (
        const path of ["/health", "/ready", "/model/info", "/openapi.json", "/docs", "/metrics"]
      ) {
        const { status, headers } = await call(path);
        assert.equal(status, 200, path);
        assert.ok(headers.get("x-request-id"), path);
      }
    });
    await t.step("POST /predict", async () => {
      const { status, headers, text } = await post("/predict", JSON.stringify(row));
      assert.equal(status, 200);
      assert.equal(headers.get("x-model-version"), bundle.checksum.slice(0, 12));
      assert.ok(JSON.parse(text).prediction >= 0);
    });
    await t.step("POST /predict/batch with 1000 rows", async () => {
      const rows = Array.from({ length: 1000 }, (_, i) => randomRow(bundle, i, 3));
      const { status, text } = await post("/predict/batch", JSON.stringify({ rows }));
      assert.equal(status, 200);
      assert.equal(JSON.parse(text).predictions.length, 1000);
    });
    await t.step("bad requests: 400, 413 (declared length), 422, 404", async () => {
      assert.equal((await post("/predict", "{")).status, 400);
      const huge = JSON.stringify({ rows: Array.from({ length: 1500 }, () => row) });
      const tooBig = await post("/predict/batch", huge);
      assert.equal(tooBig.status, 413);
      assert.match(tooBig.text, /3145728 bytes/);
      assert.equal((await post("/predict", JSON.stringify({ ...row, extra: 1 }))).status, 422);
      assert.equal((await call("/nope")).status, 404);
    });
    await t.step("POST /admin/reload", async () => {
      const { status, text } = await call("/admin/reload", { method: "POST" });
      assert.equal(status, 200);
      assert.equal(JSON.parse(text).status, "unchanged");
    });
  } finally {
    await server.shutdown();
  }
});

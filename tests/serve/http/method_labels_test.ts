/**
 * Metric labels come from fixed sets whatever clients send: made-up HTTP methods are
 * counted as `OTHER` and answered 405 (with `Allow`) on known paths, 404 elsewhere.
 */
import assert from "node:assert/strict";
import { harness } from "../../support/serve_harness.ts";
import { testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();

/** A random method token nobody defined, in random case, e.g. `QxZPROP`. */
function madeUpMethod(i: number): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let token = "";
  for (let n = 4 + (i % 9); n > 0; n--) token += letters[Math.floor(Math.random() * 52)];
  return `${token}${i}`;
}

/** The label sets of `http_requests_total` with their counts. */
function requestSeries(text: string): Record<string, number> {
  const series: Record<string, number> = {};
  for (const match of text.matchAll(/^http_requests_total\{(.*)\} (\d+)$/gm)) {
    series[match[1]] = Number(match[2]);
  }
  return series;
}

Deno.test("200 requests with made-up methods make two series, not 200", async () => {
  const { app } = await harness(bundle);
  for (let i = 0; i < 100; i++) {
    const response = await app.request("/predict", { method: madeUpMethod(i), body: "{}" });
    assert.equal(response.status, 405, `${i}`);
    assert.equal(response.headers.get("allow"), "POST");
    assert.equal((await response.json()).error, "method_not_allowed");
  }
  for (let i = 0; i < 100; i++) {
    const path = `/nowhere/${crypto.randomUUID()}`;
    const response = await app.request(path, { method: madeUpMethod(i) });
    assert.equal(response.status, 404, path);
    assert.equal(response.headers.get("allow"), null);
    await response.body?.cancel();
  }
  const text = await (await app.request("/metrics")).text();
  assert.deepEqual(requestSeries(text), {
    'route="/predict",method="OTHER",status="405"': 100,
    'route="unmatched",method="OTHER",status="404"': 100,
  });
  const durations = [...text.matchAll(/^http_request_duration_seconds_count\{(.*)\} \d+$/gm)];
  assert.deepEqual(durations.map((m) => m[1]).sort(), [
    'route="/predict",method="OTHER",status="405"',
    'route="unmatched",method="OTHER",status="404"',
  ]);
});

Deno.test("standard methods keep their name; a known path with the wrong one is 405", async () => {
  const { app } = await harness(bundle);
  const cases: [string, string, number, string | null][] = [
    ["GET", "/predict", 405, "POST"],
    ["PUT", "/predict/batch", 405, "POST"],
    ["DELETE", "/health", 405, "GET, HEAD"],
    ["POST", "/metrics", 405, "GET, HEAD"],
    ["GET", "/admin/reload", 405, "POST"],
    ["PATCH", "/model/info", 405, "GET, HEAD"],
    // Without CORS, OPTIONS is not served.
    ["OPTIONS", "/ready", 405, "GET, HEAD"],
    ["HEAD", "/health", 200, null],
    ["HEAD", "/predict", 405, "POST"],
    // Methods are case-sensitive: `patch` is not PATCH (fetch upper-cases only six).
    ["patch", "/health", 405, "GET, HEAD"],
    ["GET", "/nowhere", 404, null],
    ["DELETE", "/nowhere", 404, null],
  ];
  for (const [method, path, status, allow] of cases) {
    const response = await app.request(path, { method });
    assert.equal(response.status, status, `${method} ${path}`);
    assert.equal(response.headers.get("allow"), allow, `${method} ${path}`);
    await response.body?.cancel();
  }
  const series = Object.keys(requestSeries(await (await app.request("/metrics")).text()));
  assert.deepEqual(series.sort(), [
    'route="/admin/reload",method="GET",status="405"',
    'route="/health",method="DELETE",status="405"',
    'route="/health",method="HEAD",status="200"',
    'route="/health",method="OTHER",status="405"',
    'route="/metrics",method="POST",status="405"',
    'route="/model/info",method="PATCH",status="405"',
    'route="/predict",method="GET",status="405"',
    'route="/predict",method="HEAD",status="405"',
    'route="/predict/batch",method="PUT",status="405"',
    'route="/ready",method="OPTIONS",status="405"',
    'route="unmatched",method="DELETE",status="404"',
    'route="unmatched",method="GET",status="404"',
  ]);
});

Deno.test("with CORS on, Allow lists OPTIONS and OPTIONS is answered", async () => {
  const { app } = await harness(bundle, { corsOrigins: ["https://dashboard.example"] });
  const wrong = await app.request("/predict", { method: "PUT" });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST, OPTIONS");
  await wrong.body?.cancel();
  const options = await app.request("/ready", { method: "OPTIONS" });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get("allow"), "GET, HEAD, OPTIONS");
  const unknown = await app.request("/nowhere", { method: "OPTIONS" });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("over real HTTP, made-up methods are 405 on known paths and counted as OTHER", async () => {
  const { app } = await harness(bundle);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${url}/predict/batch`, { method: madeUpMethod(i) });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get("allow"), "POST");
      await response.body?.cancel();
    }
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.deepEqual(requestSeries(text), {
      'route="/predict/batch",method="OTHER",status="405"': 20,
    });
  } finally {
    await server.shutdown();
  }
});

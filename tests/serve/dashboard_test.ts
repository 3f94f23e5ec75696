/**
 * `/dashboard` and `/monitoring/distribution`, in-process: the page and its scripts come
 * from the server with a policy that allows nothing else, plotly.js revalidates by ETag,
 * and the distribution endpoint answers known features and refuses others clearly.
 */
import assert from "node:assert/strict";
import { DistributionSchema } from "../../serve/monitoring/report_schema.ts";
import { harness, postJson } from "../support/serve_harness.ts";
import { randomRow, testBundle } from "../support/test_bundle.ts";

const bundle = await testBundle();

Deno.test("the dashboard page loads its scripts from the server only", async () => {
  const { app } = await harness(bundle);
  const page = await app.request("/dashboard");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-security-policy")!, /script-src 'self'/);
  const html = await page.text();
  const sources = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(sources, ["/dashboard/plotly.min.js", "/dashboard/dashboard.js"]);
  assert.doesNotMatch(html, /https?:\/\//, "nothing from another origin");
  const script = await app.request("/dashboard/dashboard.js");
  assert.match(script.headers.get("content-type")!, /javascript/);
  assert.match(await script.text(), /Plotly\.react\("drift"/);

  const plotly = await app.request("/dashboard/plotly.min.js");
  assert.equal(plotly.status, 200);
  const tag = plotly.headers.get("etag")!;
  assert.ok((await plotly.text()).length > 1_000_000, "plotly.js itself");
  const again = await app.request("/dashboard/plotly.min.js", {
    headers: { "if-none-match": tag },
  });
  assert.equal(again.status, 304);
});

Deno.test("/monitoring/distribution: a feature's training and current counts, or a clear 4xx", async () => {
  const { app } = await harness(bundle);
  const rows = Array.from({ length: 30 }, (_, i) => randomRow(bundle, i));
  assert.equal((await postJson(app, "/predict/batch", { rows })).status, 200);
  const name = Object.keys(bundle.reference.features)[0];
  const response = await app.request(`/monitoring/distribution?feature=${name}&window=minutes`);
  assert.equal(response.status, 200);
  const distribution = DistributionSchema.parse(await response.json());
  assert.equal(distribution.centres.length, 101);
  assert.equal(
    distribution.reference.reduce((a, b) => a + b),
    bundle.reference.features[name].count,
  );
  const present = rows.filter((row) => row[name] !== null).length;
  assert.equal(distribution.current.reduce((a, b) => a + b), present);
  const prediction = await app.request("/monitoring/distribution?feature=prediction");
  assert.equal(
    DistributionSchema.parse(await prediction.json()).current.reduce((a, b) => a + b),
    30,
  );

  const unknown = await app.request("/monitoring/distribution?feature=nope");
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).message, /no monitored feature named "nope"/);
  const badWindow = await app.request(`/monitoring/distribution?feature=${name}&window=days`);
  assert.equal(badWindow.status, 422);
  assert.equal((await app.request("/monitoring/distribution")).status, 422);
});

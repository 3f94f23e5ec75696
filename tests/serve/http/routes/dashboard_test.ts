/**
 * `/dashboard`, in-process: the page and its scripts come from the server with a policy that
 * allows nothing else, and plotly.js revalidates by ETag.
 */
import assert from "node:assert/strict";
import { harness } from "../../../support/serve_harness.ts";
import { testBundle } from "../../../support/test_bundle.ts";

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

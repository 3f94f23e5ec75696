/**
 * `GET /openapi.json` and `GET /docs`, in-process: the document covers every route, is generated
 * from the zod schemas, declares admin security only with a token, and the page runs alone.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import {
  ExplanationResponseSchema,
  PredictionResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();
const { app, slot, limits } = await harness(bundle, { limits: { maxBatchRows: 500 } });
const spec = await (await app.request("/openapi.json")).json();
const TOKEN = "0123456789abcdef-admin";

/** The app over the test bundle, with an admin token or none. */
async function appWith(options: { adminToken?: string } = {}) {
  return (await harness(bundle, options)).app;
}

Deno.test("the OpenAPI document covers every route", () => {
  assert.equal(spec.openapi, "3.1.0");
  assert.equal(spec.info.version, bundle.checksum.slice(0, 12));
  assert.deepEqual(Object.keys(spec.paths).sort(), [
    "/admin/reload",
    "/explain",
    "/feedback",
    "/health",
    "/invocations",
    "/metrics",
    "/model/info",
    "/monitoring",
    "/monitoring/distribution",
    "/ping",
    "/predict",
    "/predict/batch",
    "/ready",
  ]);
  assert.match(spec.info.description, /clipped to \[0, 1\]/);
  assert.match(spec.info.description, new RegExp(`${limits.maxBodyBytes} bytes.*500 rows`));
});

Deno.test("the request schemas in the document are generated from the zod schemas", () => {
  const schemas = slot.model!.schemas;
  const generated = (schema: z.ZodType) => {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io: "input",
    });
    return rest;
  };
  assert.deepEqual(spec.components.schemas.FeatureRow, generated(schemas.row));
  const row = spec.components.schemas.FeatureRow;
  assert.equal(Object.keys(row.properties).length, 122);
  assert.equal(row.required.length, 122);
  assert.equal(row.additionalProperties, false);
  const nullable = bundle.features.find((f) => f.nullable)!;
  assert.deepEqual(row.properties[nullable.name].anyOf[1], { type: "null" });
  const batch = spec.components.schemas.BatchRequest;
  assert.equal(batch.properties.rows.maxItems, 500);
  assert.deepEqual(batch.properties.rows.items, { $ref: "#/components/schemas/FeatureRow" });
});

Deno.test("every referenced component exists", () => {
  const refs = JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g);
  for (const [, kind, name] of refs) assert.ok(spec.components[kind]?.[name], `${kind}/${name}`);
});

Deno.test("the documented examples behave as documented", async () => {
  const examples = spec.paths["/predict"].post.requestBody.content["application/json"].examples;
  const good = await postJson(app, "/predict", examples.reference.value);
  assert.equal(good.status, 200);
  PredictionResponseSchema.parse(await good.json());
  const bad = await postJson(app, "/predict", examples.invalid.value);
  assert.equal(bad.status, 422);
  const batch = spec.paths["/predict/batch"].post.requestBody.content["application/json"].examples;
  assert.equal((await postJson(app, "/predict/batch", batch.twoRows.value)).status, 200);
  const explain = spec.paths["/explain"].post.requestBody.content["application/json"].examples;
  const explained = await postJson(app, "/explain?top=5", explain.reference.value);
  assert.equal(explained.status, 200);
  assert.equal(ExplanationResponseSchema.parse(await explained.json()).contributions.length, 5);
});

Deno.test("the docs page is Swagger UI served by this server, under a same-origin policy", async () => {
  const response = await app.request("/docs");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/html/);
  assert.match(
    response.headers.get("content-security-policy")!,
    /default-src 'self'; script-src 'self'/,
  );
  const html = await response.text();
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, "no script or style from elsewhere");
  const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(assets.sort(), [
    "/docs/docs.js",
    "/docs/swagger-ui-bundle.js",
    "/docs/swagger-ui.css",
  ]);
  for (const asset of assets) {
    const served = await app.request(asset);
    assert.equal(served.status, 200, asset);
    const etag = served.headers.get("etag")!;
    assert.ok((await served.text()).length > 100, asset);
    const again = await app.request(asset, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304, asset);
  }
  const init = await (await app.request("/docs/docs.js")).text();
  assert.match(init, /url: "\/openapi\.json"/);
  assert.match(init, /validatorUrl: null/, "the validator badge would send the document away");
  assert.doesNotThrow(() => new Function(init));
});

Deno.test("the OpenAPI document declares admin security only when a token is set", async () => {
  const withToken = await (await (await appWith({ adminToken: TOKEN })).request("/openapi.json"))
    .json();
  const reload = withToken.paths["/admin/reload"].post;
  assert.deepEqual(reload.security, [{ adminToken: [] }]);
  assert.ok(reload.responses["401"]);
  assert.ok(reload.responses["415"]);
  assert.equal(withToken.components.securitySchemes.adminToken.scheme, "bearer");
  for (const [path, item] of Object.entries(withToken.paths)) {
    if (path === "/admin/reload") continue;
    for (const operation of Object.values(item as Record<string, { security?: unknown }>)) {
      assert.equal(operation.security, undefined, path);
    }
  }

  const open = await (await (await appWith()).request("/openapi.json")).json();
  const openReload = open.paths["/admin/reload"].post;
  assert.equal(openReload.security, undefined);
  assert.equal(openReload.responses["401"], undefined);
  assert.ok(openReload.responses["415"]);
  assert.equal(open.components.securitySchemes, undefined);
});

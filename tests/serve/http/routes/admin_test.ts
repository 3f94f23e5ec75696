/**
 * `POST /admin/reload`, in-process: it swaps in a new bundle or keeps the served one and says
 * why, needs the admin token when there is one, and takes only JSON or an empty body, from no
 * other site's page.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sealBundle } from "../../../../pipeline/bundle/bundle_io.ts";
import type { AppDeps } from "../../../../serve/http/app_env.ts";
import {
  ErrorResponseSchema,
  ModelInfoResponseSchema,
  ReloadResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { fileSource } from "../../../../serve/model/model_source_file.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle, writeBundle } from "../../../support/test_bundle.ts";

const v1 = await testBundle({ seed: 1 });
const v2 = await testBundle({ seed: 2, shift: 0.1 });
const version = (b: typeof v1) => b.checksum.slice(0, 12);
const row = randomRow(v1, 3);
const bundle = await testBundle();
const TOKEN = "0123456789abcdef-admin";
const EVIL = "https://evil.example";

async function predictedVersion(app: Awaited<ReturnType<typeof harness>>["app"]): Promise<string> {
  const response = await postJson(app, "/predict", row);
  assert.equal(response.status, 200);
  return (await response.json()).modelVersion;
}

/** The app over the test bundle with the given admin token and CORS origins. */
async function appWith(options: Pick<AppDeps, "adminToken" | "corsOrigins"> = {}) {
  return (await harness(bundle, options)).app;
}

Deno.test("POST /admin/reload swaps in a new bundle, then reports it unchanged", async () => {
  const { app, source } = await harness(v1);
  source.bundle = v2;
  const reloaded = await app.request("/admin/reload", { method: "POST" });
  assert.equal(reloaded.status, 200);
  assert.deepEqual(ReloadResponseSchema.parse(await reloaded.json()), {
    status: "reloaded",
    version: version(v2),
    previousVersion: version(v1),
  });
  assert.equal(await predictedVersion(app), version(v2));
  const again = await app.request("/admin/reload", { method: "POST" });
  assert.deepEqual(await again.json(), {
    status: "unchanged",
    version: version(v2),
    previousVersion: version(v2),
  });
});

Deno.test("a broken bundle file keeps the old model serving and reports why", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "bundle.json");
    await writeBundle(path, v1);
    const { app, metrics, logs } = await harness(undefined, { source: fileSource(path) });
    await Deno.writeTextFile(path, JSON.stringify({ ...v2, checksum: v1.checksum }));

    const failed = await app.request("/admin/reload", { method: "POST" });
    assert.equal(failed.status, 502);
    const error = ErrorResponseSchema.parse(await failed.json());
    assert.equal(error.error, "reload_failed");
    assert.match(error.message, /checksum mismatch.*still serving version/);
    assert.equal(await predictedVersion(app), version(v1));

    const info = ModelInfoResponseSchema.parse(await (await app.request("/model/info")).json());
    assert.equal(info.version, version(v1));
    assert.match(info.lastReloadError!.message, /checksum mismatch/);
    assert.equal(metrics.reloads.get(["failed"]), 1);
    assert.ok(
      logs.some((l) => l.level === "error" && l.msg === "reload failed; the current model stays"),
    );

    await writeBundle(path, v2);
    assert.equal((await app.request("/admin/reload", { method: "POST" })).status, 200);
    const healed = ModelInfoResponseSchema.parse(await (await app.request("/model/info")).json());
    assert.equal(healed.version, version(v2));
    assert.equal(healed.lastReloadError, null, "a successful reload clears the error");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bundle that passes its checksum but cannot predict is not swapped in", async () => {
  const { app, source } = await harness(v1);
  source.bundle = await sealBundle({
    ...structuredClone(v2),
    model: { ...v2.model, family: "mystery" },
  });
  const failed = await app.request("/admin/reload", { method: "POST" });
  assert.equal(failed.status, 502);
  assert.match((await failed.json()).message, /unknown model family "mystery"/);
  assert.equal(await predictedVersion(app), version(v1));
});

Deno.test("with an admin token, reload needs it", async () => {
  const token = "s3cret-token-0123456789";
  const { app } = await harness(v1, { adminToken: token });
  const none = await app.request("/admin/reload", { method: "POST" });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="admin"');
  assert.equal(ErrorResponseSchema.parse(await none.json()).error, "unauthorized");
  const wrong = await app.request("/admin/reload", {
    method: "POST",
    headers: { authorization: "Bearer nope" },
  });
  assert.equal(wrong.status, 401);
  assert.match((await wrong.json()).message, /wrong/);
  const right = await app.request("/admin/reload", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(right.status, 200);
  assert.equal((await app.request("/health")).status, 200, "other routes need no token");
});

Deno.test("the admin request must carry the token and be JSON or empty", async () => {
  const app = await appWith({ adminToken: TOKEN });
  const reload = async (headers: Record<string, string>, body?: string) => {
    const response = await app.request("/admin/reload", { method: "POST", headers, body });
    return { status: response.status, body: await response.json() };
  };
  const bearer = { authorization: `Bearer ${TOKEN}` };
  assert.equal((await reload({})).status, 401);
  assert.equal((await reload({ authorization: "Bearer wrong-0123456789abcdef" })).status, 401);
  assert.equal((await reload({ authorization: `Bearer ${TOKEN}x` })).status, 401);
  assert.equal((await reload({ authorization: `Basic ${btoa(`admin:${TOKEN}`)}` })).status, 401);
  const text = await reload({ ...bearer, "content-type": "text/plain" }, "{}");
  assert.equal(text.status, 415);
  assert.equal(text.body.error, "unsupported_media_type");
  assert.match(text.body.message, /application\/json/);
  for (
    const type of [
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "text/json",
    ]
  ) {
    assert.equal((await reload({ ...bearer, "content-type": type }, "a=1")).status, 415, type);
  }
  // A body without a content type is not empty either.
  const untyped = await app.request("/admin/reload", {
    method: "POST",
    headers: bearer,
    body: new TextEncoder().encode("{}"),
  });
  assert.equal(untyped.status, 415);
  await untyped.body?.cancel();
  assert.equal((await reload(bearer)).status, 200);
  const json = await reload({ ...bearer, "content-type": "application/json; charset=utf-8" }, "{}");
  assert.equal(json.status, 200);
  assert.equal(json.body.status, "unchanged");
});

Deno.test("without a token (loopback), cross-site and non-JSON reloads are still refused", async () => {
  const app = await appWith();
  const post = (headers: Record<string, string>, body?: string) =>
    app.request("/admin/reload", { method: "POST", headers, body });
  // What an HTML form or a `fetch(..., { mode: "no-cors" })` of any web page can send.
  const formPost = await post({ "content-type": "text/plain", origin: EVIL }, "x");
  assert.equal(formPost.status, 415);
  await formPost.body?.cancel();
  // A browser sends Origin with every cross-site POST, body or none: not on the list, 403.
  const emptyCrossSite = await post({ origin: EVIL });
  assert.equal(emptyCrossSite.status, 403);
  assert.equal((await emptyCrossSite.json()).error, "forbidden_origin");
  // DNS rebinding: the attacker's name now points at 127.0.0.1, so the page is same-origin.
  const rebound = "http://rebound.attacker.example:8080";
  const rebinding = await post({ origin: rebound, host: "rebound.attacker.example:8080" });
  assert.equal(rebinding.status, 403);
  await rebinding.body?.cancel();
  // The server's own /docs page on a loopback address may.
  for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]) {
    const own = await post({ origin: `http://${host}`, host });
    assert.equal(own.status, 200, host);
    await own.body?.cancel();
  }
  assert.equal((await post({})).status, 200);
  assert.equal((await post({ "content-type": "application/json" }, "{}")).status, 200);
});

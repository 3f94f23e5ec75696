import assert from "node:assert/strict";
import { credentialsFromEnv, credentialsFromUri } from "../../pipeline/mlflow/auth.ts";
import { MlflowError } from "../../pipeline/mlflow/errors.ts";
import { HttpTransport } from "../../pipeline/mlflow/transport.ts";
import { z } from "zod";
import { freePort } from "../support/mlflow_server.ts";

const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 };
const Ok = z.object({ ok: z.boolean() });

interface Seen {
  readonly call: string;
  readonly authorization: string | null;
}

/** Serves `answers` in order (repeating the last) and records each request. */
async function withDouble(
  answers: (() => Response)[],
  test: (uri: string, requests: Seen[]) => Promise<void>,
): Promise<void> {
  const requests: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const call = `${request.method} ${new URL(request.url).pathname}`;
    requests.push({ call, authorization: request.headers.get("authorization") });
    return answers[Math.min(requests.length, answers.length) - 1]();
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}`, requests);
  } finally {
    await server.shutdown();
  }
}

const unavailable = () => new Response("busy", { status: 503 });
const ok = () => Response.json({ ok: true });

Deno.test("a 503 is retried and the later 200 is returned", async () => {
  await withDouble([unavailable, unavailable, ok], async (uri, requests) => {
    const http = new HttpTransport(uri, { retry: FAST_RETRY, credentials: null });
    const body = await http.json("POST", "/api/2.0/mlflow/runs/create", Ok, { json: { a: 1 } });
    assert.deepEqual(body, { ok: true });
    assert.deepEqual(
      requests.map((r) => r.call),
      Array(3).fill("POST /api/2.0/mlflow/runs/create"),
    );
  });
});

Deno.test("a server that keeps failing gives up after the configured attempts", async () => {
  await withDouble([unavailable], async (uri, requests) => {
    const http = new HttpTransport(uri, { retry: FAST_RETRY, credentials: null });
    const error = await http.json("GET", "/api/2.0/mlflow/runs/get", Ok).catch((e) => e);
    assert.ok(error instanceof MlflowError);
    assert.equal(error.status, 503);
    assert.match(error.message, /after 3 attempts/);
    assert.equal(requests.length, 3);
  });
});

Deno.test("a 4xx is not retried and its error names server, call, status and reason", async () => {
  const rejected = () =>
    Response.json({ error_code: "INVALID_PARAMETER_VALUE", message: "bad experiment id" }, {
      status: 400,
    });
  await withDouble([rejected], async (uri, requests) => {
    const http = new HttpTransport(uri, { retry: FAST_RETRY, credentials: null });
    const error = await http.json("POST", "/api/2.0/mlflow/runs/create", Ok, { json: {} })
      .catch((e) => e);
    assert.ok(error instanceof MlflowError);
    assert.equal(requests.length, 1);
    assert.equal(error.errorCode, "INVALID_PARAMETER_VALUE");
    assert.equal(
      error.message,
      `MLflow POST /api/2.0/mlflow/runs/create at ${uri} failed: 400 INVALID_PARAMETER_VALUE: ` +
        "bad experiment id",
    );
  });
});

Deno.test("an answer of the wrong shape is reported, not passed on", async () => {
  await withDouble([() => Response.json({ ok: "yes" })], async (uri) => {
    const http = new HttpTransport(uri, { credentials: null });
    await assert.rejects(http.json("GET", "/x", Ok), /GET \/x .*unexpected answer \(ok: /);
  });
});

Deno.test("a server that is down fails after bounded retries within seconds", async () => {
  const uri = `http://127.0.0.1:${freePort()}`;
  const http = new HttpTransport(uri, { credentials: null });
  const started = performance.now();
  const error = await http.json("GET", "/api/2.0/mlflow/experiments/get-by-name", Ok)
    .catch((e) => e);
  const elapsed = performance.now() - started;

  assert.ok(error instanceof MlflowError);
  assert.equal(error.status, undefined);
  assert.match(error.message, new RegExp(`GET /api/2.0/mlflow/experiments/get-by-name at ${uri}`));
  assert.match(error.message, /server unreachable \(after 4 attempts\): Connection refused/);
  // The default policy waits 200 + 400 + 800 ms between its four attempts.
  assert.ok(elapsed >= 1400 && elapsed < 5000, `took ${elapsed} ms`);
});

Deno.test("credentials are sent as bearer or basic authorization", async () => {
  await withDouble([ok], async (uri, requests) => {
    await new HttpTransport(uri, { credentials: { token: "t0k" } }).json("GET", "/a", Ok);
    const basic = { username: "ada", password: "pw:1" };
    await new HttpTransport(uri, { credentials: basic }).json("GET", "/b", Ok);
    assert.deepEqual(requests, [
      { call: "GET /a", authorization: "Bearer t0k" },
      { call: "GET /b", authorization: `Basic ${btoa("ada:pw:1")}` },
    ]);
  });
});

Deno.test("credentialsFromEnv prefers a token and needs both username and password", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  const token = { MLFLOW_TRACKING_TOKEN: "t", MLFLOW_TRACKING_USERNAME: "u" };
  assert.deepEqual(credentialsFromEnv(env(token)), { token: "t" });
  assert.equal(credentialsFromEnv(env({ MLFLOW_TRACKING_USERNAME: "u" })), undefined);
  assert.deepEqual(
    credentialsFromEnv(env({ MLFLOW_TRACKING_USERNAME: "u", MLFLOW_TRACKING_PASSWORD: "" })),
    { username: "u", password: "" },
  );
});

Deno.test("a URI's user and password are sent as basic authorization, never shown", async () => {
  const password = "p@ss:w/rd?1";
  await withDouble([ok], async (uri, requests) => {
    const withUser = uri.replace("://", `://ada:${encodeURIComponent(password)}@`);
    const http = new HttpTransport(`${withUser}/`, { credentials: null });
    assert.equal(http.trackingUri, uri);
    await http.json("GET", "/a", Ok);
    assert.deepEqual(requests, [
      { call: "GET /a", authorization: `Basic ${btoa(`ada:${password}`)}` },
    ]);
    // Explicit credentials win over the URI's.
    await new HttpTransport(withUser, { credentials: { token: "t0k" } }).json("GET", "/b", Ok);
    assert.equal(requests[1].authorization, "Bearer t0k");
  });
  const dead = `http://ada:${encodeURIComponent(password)}@127.0.0.1:${freePort()}`;
  const http = new HttpTransport(dead, { credentials: null, retry: FAST_RETRY });
  const error = await http.json("GET", "/api/2.0/mlflow/runs/get", Ok).catch((e) => e);
  assert.ok(error instanceof MlflowError);
  assert.match(error.message, /at http:\/\/127\.0\.0\.1:\d+ failed: server unreachable/);
  assert.equal(error.trackingUri, dead.replace(/ada:.*@/, ""));
  for (const shown of [error.message, error.trackingUri, http.trackingUri]) {
    assert.ok(!shown.includes(encodeURIComponent(password)) && !shown.includes("ada"), shown);
  }
});

Deno.test("credentialsFromUri takes the user info out of a URI", () => {
  assert.deepEqual(credentialsFromUri("https://u:p%40ss@mlflow.example:5000/base/"), {
    uri: "https://mlflow.example:5000/base",
    credentials: { username: "u", password: "p@ss" },
  });
  assert.deepEqual(credentialsFromUri("http://127.0.0.1:5000"), { uri: "http://127.0.0.1:5000" });
  assert.deepEqual(credentialsFromUri("http://tok@mlflow:5000"), {
    uri: "http://mlflow:5000",
    credentials: { username: "tok", password: "" },
  });
});

/**
 * Secrets never reach a client or a log line: an MLflow tracking URI with a user and
 * password in it (`http://alice:<password>@host:port`) and the admin token, through failed
 * loads and failed reloads, against a closed port and against a real MLflow server (which
 * accepts basic authentication headers without checking them).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BUNDLE_FILE, MODEL_ARTIFACT_DIR } from "../../pipeline/bundle/bundle_artifact.ts";
import { joinArtifactPath } from "../../pipeline/mlflow/client.ts";
import { sourceCommand, type SpawnedServer, spawnServer } from "../../tools/serve/spawn_server.ts";
import { freePort, startTestServer } from "../support/mlflow_server.ts";
import { testBundle } from "../support/test_bundle.ts";

const MODEL = "communities-crime";
const USER = "alice";
const PASSWORD = "s3cret-Pa55w0rd-in-the-uri";
const ADMIN_TOKEN = "admin-token-that-must-stay-hidden";
/** Every form a secret could leak in: as is, percent-encoded, inside a basic header. */
const SECRETS = [
  PASSWORD,
  encodeURIComponent(PASSWORD),
  btoa(`${USER}:${PASSWORD}`),
  ADMIN_TOKEN,
];

/** `http://alice:<password>@127.0.0.1:<port>`. */
const withCredentials = (port: number) => `http://${USER}:${PASSWORD}@127.0.0.1:${port}`;

function assertNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) {
    const at = text.indexOf(secret);
    const around = text.slice(Math.max(0, at - 300), at + secret.length + 100);
    assert.ok(at < 0, `${where} shows a secret (${secret}):\n…${around}…`);
  }
}

/** Every answer a client can get about the model and its loading, as text with headers. */
async function answers(url: string): Promise<Record<string, string>> {
  const reload = (token: string): RequestInit => ({
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  const calls: [string, string, RequestInit][] = [
    ["POST /admin/reload", "/admin/reload", reload(ADMIN_TOKEN)],
    ["POST /admin/reload, wrong token", "/admin/reload", reload("wrong-token-0123456789")],
    ["GET /ready", "/ready", {}],
    ["GET /model/info", "/model/info", {}],
    ["GET /health", "/health", {}],
    ["GET /openapi.json", "/openapi.json", {}],
    ["GET /metrics", "/metrics", {}],
  ];
  const seen: Record<string, string> = {};
  for (const [call, path, init] of calls) {
    const response = await fetch(`${url}${path}`, init);
    const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    seen[call] = `${response.status}\n${headers}\n\n${await response.text()}`;
  }
  return seen;
}

async function waitForLog(server: SpawnedServer, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.logs.some((line) => pattern.test(line))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no ${what} in the log:\n${server.logs.join("\n")}`);
}

async function waitForStatus(url: string, status: number): Promise<void> {
  let last = 0;
  for (let i = 0; i < 300 && last !== status; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(url);
    last = response.status;
    await response.body?.cancel();
  }
  assert.equal(last, status, `${url} never answered ${status}`);
}

function start(dir: string, mlflowUri: string, model: string): Promise<SpawnedServer> {
  return spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--prediction-log", "off", "--log-level", "debug"],
    ...["--model", model, "--mlflow-uri", mlflowUri, "--admin-token", ADMIN_TOKEN],
    ...["--cache-dir", join(dir, "cache")],
  ], { cwd: dir });
}

/** Stops the server and checks every answer and every log line it wrote. */
async function checkAll(server: SpawnedServer, seen: Record<string, string>): Promise<void> {
  const status = await server.stop();
  assert.equal(status.code, 0, server.logs.join("\n"));
  for (const [call, text] of Object.entries(seen)) assertNoSecret(call, text);
  for (const line of server.logs) assertNoSecret("a log line", line);
}

Deno.test("with the registry unreachable, a URI's password is in no answer and no log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "serve_secrets_" });
  const server = await start(dir, withCredentials(freePort()), `models:/${MODEL}@champion`);
  try {
    await waitForLog(server, /"msg":"model load failed"/, "failed load");
    const seen = await answers(server.url);
    // The failures are reported, with the server named, only without its password.
    assert.match(seen["GET /ready"], /^503\n[^]*registry is unreachable[^]*127\.0\.0\.1:\d+/);
    assert.match(seen["POST /admin/reload"], /^502\n/);
    assert.match(seen["POST /admin/reload, wrong token"], /^401\n/);
    await checkAll(server, seen);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with a real registry, a URI's password is in no answer and no log", async (t) => {
  const mlflow = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "serve_secrets_" });
  const { tracking, artifacts, registry } = mlflow.client;
  try {
    const experiment = await tracking.getOrCreateExperiment("secrets-test");
    /** Registers a run's model directory, with `bundle` in it if given, as a new version. */
    const register = async (bundle?: string) => {
      const run = await tracking.createRun({ experimentId: experiment.experiment_id });
      if (bundle !== undefined) {
        await artifacts.upload(
          run.info.artifact_uri,
          `${MODEL_ARTIFACT_DIR}/${BUNDLE_FILE}`,
          bundle,
        );
      }
      await tracking.terminateRun(run.info.run_id);
      const created = await registry.createModelVersion({
        name: MODEL,
        source: joinArtifactPath(run.info.artifact_uri, MODEL_ARTIFACT_DIR),
        runId: run.info.run_id,
      });
      return (await registry.waitUntilReady(MODEL, created.version, { timeoutMs: 20_000 })).version;
    };
    await registry.getOrCreateRegisteredModel(MODEL);
    const good = await register(JSON.stringify(await testBundle({ seed: 3 })));
    const empty = await register();
    await registry.setAlias(MODEL, "champion", good);
    const uri = withCredentials(mlflow.port);

    await t.step("a failed reload (the new version has no bundle)", async () => {
      const server = await start(dir, uri, `models:/${MODEL}@champion`);
      try {
        await waitForStatus(`${server.url}/ready`, 200);
        await registry.setAlias(MODEL, "champion", empty);
        const seen = await answers(server.url);
        assert.match(seen["POST /admin/reload"], /^502\n[^]*still serving version/);
        assert.match(seen["GET /model/info"], /^200\n[^]*"lastReloadError":\{/);
        await checkAll(server, seen);
      } finally {
        await server.stop();
        await registry.setAlias(MODEL, "champion", good);
      }
    });

    await t.step("a failed first load (the version has no bundle)", async () => {
      const server = await start(dir, uri, `models:/${MODEL}/${empty}`);
      try {
        await waitForLog(server, /"msg":"model load failed"/, "failed load");
        const seen = await answers(server.url);
        assert.match(seen["GET /ready"], /^503\n/);
        await checkAll(server, seen);
      } finally {
        await server.stop();
      }
    });
  } finally {
    await mlflow.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * The deployment request a change of champion sends. GitHub's API cannot be reached from
 * the test machines, so a local HTTP server stands in for it and records what it gets;
 * the rest is real: `promote-model --rollback` as a user runs it, on a real MLflow server.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import {
  DEPLOY_EVENT,
  DeployDispatchError,
  dispatchSettings,
  sendDeployDispatch,
} from "../../pipeline/registry/deploy_dispatch.ts";
import { freePort, startTestServer } from "../support/mlflow_server.ts";
import { registerVersion } from "../support/registry_fixtures.ts";
import { testBundle } from "../support/test_bundle.ts";

const TOKEN = "ghp_dispatch-test-token-0123456789";

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A stand-in for GitHub's API answering `status` (and `message`) to every request. */
function fakeGitHub(status = 204, message?: string) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({
      method: req.method,
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: await req.json(),
    });
    return status === 204
      ? new Response(null, { status })
      : Response.json({ message: message ?? "error" }, { status });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, received, stop: () => server.shutdown() };
}

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("dispatch settings: off when unset, both or an error naming the missing one", () => {
  assert.equal(dispatchSettings(env({})), undefined);
  assert.equal(
    dispatchSettings(env({ DEPLOY_DISPATCH_REPO: " ", DEPLOY_DISPATCH_TOKEN: "" })),
    undefined,
  );
  assert.throws(
    () => dispatchSettings(env({ DEPLOY_DISPATCH_TOKEN: TOKEN })),
    (e: Error) => e instanceof DeployDispatchError && /DEPLOY_DISPATCH_REPO is not/.test(e.message),
  );
  assert.throws(
    () => dispatchSettings(env({ DEPLOY_DISPATCH_REPO: "o/r" })),
    /DEPLOY_DISPATCH_TOKEN is not/,
  );
  assert.throws(
    () =>
      dispatchSettings(
        env({ DEPLOY_DISPATCH_REPO: "https://github.com/o/r", DEPLOY_DISPATCH_TOKEN: TOKEN }),
      ),
    /not of the form owner\/name/,
  );
  assert.deepEqual(
    dispatchSettings(
      env({
        DEPLOY_DISPATCH_REPO: "o/r",
        DEPLOY_DISPATCH_TOKEN: TOKEN,
        GITHUB_API_URL: "http://x/api/v3/",
      }),
    ),
    { repository: "o/r", token: TOKEN, apiUrl: "http://x/api/v3" },
  );
});

Deno.test("a dispatch is a repository_dispatch POST with the token in the header only", async () => {
  const github = fakeGitHub();
  try {
    const settings = { repository: "acme/crime", token: TOKEN, apiUrl: github.url };
    await sendDeployDispatch(settings, { name: "m", version: "7", reason: "promotion" });
    assert.equal(github.received.length, 1);
    const [got] = github.received;
    assert.equal(got.method, "POST");
    assert.equal(got.path, "/repos/acme/crime/dispatches");
    assert.equal(got.headers.get("authorization"), `Bearer ${TOKEN}`);
    assert.equal(got.headers.get("accept"), "application/vnd.github+json");
    assert.deepEqual(got.body, {
      event_type: DEPLOY_EVENT,
      client_payload: { model: "m", version: "7", reason: "promotion" },
    });
  } finally {
    await github.stop();
  }
});

Deno.test("a refused or unreachable dispatch says why, without the token", async () => {
  const github = fakeGitHub(401, `Bad credentials for ${TOKEN}`);
  try {
    const settings = { repository: "acme/crime", token: TOKEN, apiUrl: github.url };
    const error = await sendDeployDispatch(settings, {
      name: "m",
      version: "7",
      reason: "promotion",
    })
      .then(() => undefined, (e: Error) => e);
    assert.ok(error instanceof DeployDispatchError);
    assert.match(error.message, /answered 401: Bad credentials .*check that DEPLOY_DISPATCH_TOKEN/);
    assert.doesNotMatch(error.message, new RegExp(TOKEN));
  } finally {
    await github.stop();
  }
  const closed = {
    repository: "acme/crime",
    token: TOKEN,
    apiUrl: `http://127.0.0.1:${freePort()}`,
  };
  await assert.rejects(
    sendDeployDispatch(closed, { name: "m", version: "7", reason: "promotion" }),
    /dispatches cannot be reached/,
  );
});

Deno.test("promote-model --rollback requests the deployment of the restored champion", async () => {
  const NAME = "crime-dispatch-test";
  const server = await startTestServer();
  const github = fakeGitHub();
  const promoteModel = async (extra: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "promote-model", "--rollback", "--name", NAME],
      cwd: resolve("."),
      env: { MLFLOW_TRACKING_URI: server.uri, ...extra },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: out.code, text: decode(out.stdout) + decode(out.stderr) };
  };
  try {
    const { client } = server;
    const v1 = await registerVersion(client, NAME, await testBundle(), "previous-champion");
    const v2 = await registerVersion(client, NAME, await testBundle({ seed: 2 }), "champion");

    // Half the settings: refused before the registry changes.
    const half = await promoteModel({ DEPLOY_DISPATCH_REPO: "acme/crime" });
    assert.equal(half.code, 1, half.text);
    assert.match(half.text, /DEPLOY_DISPATCH_TOKEN is not/);
    assert.equal((await client.registry.getRegisteredModel(NAME))?.aliases.champion, v2);
    assert.equal(github.received.length, 0);

    const run = await promoteModel({
      DEPLOY_DISPATCH_REPO: "acme/crime",
      DEPLOY_DISPATCH_TOKEN: TOKEN,
      GITHUB_API_URL: github.url,
    });
    assert.equal(run.code, 0, run.text);
    assert.match(
      run.text,
      new RegExp(`requested the deployment of v${v1} \\(repository_dispatch to acme/crime\\)`),
    );
    assert.doesNotMatch(run.text, new RegExp(TOKEN));
    assert.equal((await client.registry.getRegisteredModel(NAME))?.aliases.champion, v1);
    assert.deepEqual(github.received.map((r) => r.body), [{
      event_type: DEPLOY_EVENT,
      client_payload: { model: NAME, version: v1, reason: "rollback" },
    }]);
  } finally {
    await github.stop();
    await server.stop();
  }
});

/**
 * `POST /admin/reload` cannot be reached by strangers: a token is required whenever the
 * server listens beyond loopback, the request must be JSON or empty (so a web page cannot
 * send it without a CORS preflight), and browsers get CORS headers only for the origins
 * on the configured allow-list. The in-process tests of the route itself are in
 * `routes/admin_test.ts`, the document's security in `routes/docs_test.ts`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AppDeps } from "../../serve/http/app_env.ts";
import { ConfigError, parseConfig, usage } from "../../serve/config.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { harness } from "../support/serve_harness.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const bundle = await testBundle();
const TOKEN = "0123456789abcdef-admin";
const DASHBOARD = "https://dashboard.example";
const EVIL = "https://evil.example";

/** The app over the test bundle with the given admin token and CORS origins. */
async function appWith(options: Pick<AppDeps, "adminToken" | "corsOrigins"> = {}) {
  return (await harness(bundle, options)).app;
}

function configError(args: string[], env: Record<string, string> = {}): string {
  try {
    parseConfig(args, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`accepted ${args.join(" ")} ${JSON.stringify(env)}`);
}

Deno.test("listening beyond loopback needs an admin token", () => {
  for (const host of ["0.0.0.0", "::", "192.168.1.20", "serve.example.com"]) {
    const message = configError(["--host", host]);
    assert.match(message, /^--admin-token \(SERVE_ADMIN_TOKEN\): /, host);
    assert.match(message, /SERVE_ADMIN_TOKEN/);
    assert.ok(message.includes(host), message);
    assert.match(configError([], { SERVE_HOST: host }), /SERVE_ADMIN_TOKEN/);
  }
  for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]) {
    assert.equal(parseConfig(["--host", host], {}).adminToken, undefined, host);
  }
  assert.equal(parseConfig(["--host", "0.0.0.0", "--admin-token", TOKEN], {}).adminToken, TOKEN);
  assert.equal(
    parseConfig([], { SERVE_HOST: "0.0.0.0", SERVE_ADMIN_TOKEN: TOKEN }).host,
    "0.0.0.0",
  );
  // --help and --healthcheck run no server: the image's 0.0.0.0 must not stop them.
  assert.equal(parseConfig(["--help"], { SERVE_HOST: "0.0.0.0" }).help, true);
  assert.equal(parseConfig(["--healthcheck"], { SERVE_HOST: "0.0.0.0" }).healthcheck, true);
  // A short token is still refused, with its own reason.
  assert.match(configError(["--host", "0.0.0.0", "--admin-token", "short"]), /at least 16/);
});

Deno.test("CORS origins are a comma-separated list of origins, off by default", () => {
  assert.deepEqual(parseConfig([], {}).corsOrigins, []);
  assert.deepEqual(
    parseConfig(["--cors-origins", `${DASHBOARD}, http://localhost:3000`], {}).corsOrigins,
    [DASHBOARD, "http://localhost:3000"],
  );
  assert.deepEqual(parseConfig([], { SERVE_CORS_ORIGINS: DASHBOARD }).corsOrigins, [DASHBOARD]);
  for (const bad of ["dashboard.example", "*", `${DASHBOARD}/path`, "ftp://x.example"]) {
    assert.match(configError(["--cors-origins", bad]), /^--cors-origins \(SERVE_CORS_ORIGINS\): /);
  }
  const help = usage();
  assert.ok(help.includes("--cors-origins <value> (env SERVE_CORS_ORIGINS)"), help);
  assert.match(help, /--admin-token <value> \(env SERVE_ADMIN_TOKEN\)\n.*required .*loopback/);
});

Deno.test("the server refuses to start on 0.0.0.0 without a token, exit 2, naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "serve_admin_" });
  const bundlePath = join(dir, "bundle.json");
  await writeBundle(bundlePath, bundle);
  try {
    const [command, ...args] = sourceCommand();
    const refused = await new Deno.Command(command, {
      args: [...args, "--host", "0.0.0.0", "--port", "0", "--model", bundlePath],
      // An empty variable counts as unset, whatever the test's environment holds.
      env: { SERVE_ADMIN_TOKEN: "" },
      cwd: dir,
      stdout: "null",
      stderr: "piped",
      // Were the setting accepted, the server would run until killed.
      signal: AbortSignal.timeout(15_000),
    }).output();
    const stderr = new TextDecoder().decode(refused.stderr);
    assert.equal(refused.code, 2, stderr);
    assert.match(stderr, /^invalid configuration:\n--admin-token \(SERVE_ADMIN_TOKEN\): /);
    assert.match(stderr, /--admin-token/);
    assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/);

    const server = await spawnServer([
      ...sourceCommand(),
      ...["--host", "0.0.0.0", "--port", "0", "--model", bundlePath, "--prediction-log", "off"],
    ], { cwd: dir, env: { SERVE_ADMIN_TOKEN: TOKEN } });
    try {
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
      const open = await fetch(`${server.url}/admin/reload`, { method: "POST" });
      assert.equal(open.status, 401);
      await open.body?.cancel();
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    for (const line of server.logs) assert.ok(!line.includes(TOKEN), line);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("over real HTTP, a POST without a body needs no content type", async () => {
  const app = await appWith({ adminToken: TOKEN });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  /** Sends raw HTTP/1.1, as curl does, and returns the status code. */
  const send = async (head: string, body = "") => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    const request = `POST /admin/reload HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
      `authorization: Bearer ${TOKEN}\r\nconnection: close\r\n${head}\r\n${body}`;
    await conn.write(new TextEncoder().encode(request));
    const answer = await new Response(conn.readable).text();
    return Number(answer.split(" ")[1]);
  };
  try {
    // `curl -X POST` sends no content-length at all.
    assert.equal(await send(""), 200);
    assert.equal(await send("content-length: 0\r\n"), 200);
    assert.equal(await send("transfer-encoding: chunked\r\n", "0\r\n\r\n"), 200);
    assert.equal(await send("transfer-encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 415);
    assert.equal(await send("content-type: text/plain\r\ncontent-length: 2\r\n", "{}"), 415);
  } finally {
    await server.shutdown();
  }
});

Deno.test("CORS headers are given to allowed origins only", async () => {
  const app = await appWith({ adminToken: TOKEN, corsOrigins: [DASHBOARD] });
  const corsHeaders = (response: Response) =>
    [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

  const fromEvil = await app.request("/model/info", { headers: { origin: EVIL } });
  assert.equal(fromEvil.status, 200);
  assert.deepEqual(corsHeaders(fromEvil), []);
  await fromEvil.body?.cancel();
  const preflightEvil = await app.request("/predict", {
    method: "OPTIONS",
    headers: {
      origin: EVIL,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  assert.deepEqual(corsHeaders(preflightEvil), []);
  await preflightEvil.body?.cancel();

  const fromDashboard = await app.request("/model/info", { headers: { origin: DASHBOARD } });
  assert.equal(fromDashboard.headers.get("access-control-allow-origin"), DASHBOARD);
  assert.match(fromDashboard.headers.get("vary") ?? "", /origin/i);
  assert.match(fromDashboard.headers.get("access-control-expose-headers") ?? "", /x-request-id/);
  await fromDashboard.body?.cancel();
  const preflight = await app.request("/admin/reload", {
    method: "OPTIONS",
    headers: {
      origin: DASHBOARD,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), DASHBOARD);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bPOST\b/);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/i);
  // The allowed origin still needs the token.
  const reload = await app.request("/admin/reload", {
    method: "POST",
    headers: { origin: DASHBOARD },
  });
  assert.equal(reload.status, 401);
  assert.equal(reload.headers.get("access-control-allow-origin"), DASHBOARD);
  await reload.body?.cancel();

  // Off by default: nobody gets CORS headers.
  const off = await appWith({ adminToken: TOKEN });
  const closed = await off.request("/model/info", { headers: { origin: DASHBOARD } });
  assert.deepEqual(corsHeaders(closed), []);
  await closed.body?.cancel();
});

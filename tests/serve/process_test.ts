import assert from "node:assert/strict";
import { join } from "node:path";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";

const bundle = await testBundle();
const dir = await Deno.makeTempDir({ prefix: "serve_process_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, bundle);
const encoder = new TextEncoder();

function start(...args: string[]) {
  return spawnServer([...sourceCommand(), "--port", "0", ...args], { cwd: dir });
}

async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  const [command, ...rest] = sourceCommand();
  const output = await new Deno.Command(command, {
    args: [...rest, ...args],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const response = await fetch(`${url}/ready`);
    await response.body?.cancel();
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail("not ready");
}

Deno.test("SIGTERM lets an in-flight request finish, turns new ones away and exits 0", async () => {
  const server = await start(
    "--model",
    bundlePath,
    "--prediction-log",
    join(dir, "predictions.jsonl"),
  );
  await waitReady(server.url);
  const body = encoder.encode(JSON.stringify(randomRow(bundle, 4)));
  const half = Math.floor(body.length / 2);
  // A request whose body is still arriving when the signal comes: in flight for sure.
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(encoder.encode(
    `POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nx-request-id: in-flight\r\n\r\n`,
  ));
  await conn.write(body.subarray(0, half));
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.process.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const turnedAway = await fetch(`${server.url}/predict`, { method: "POST", body: "{}" });
  assert.equal(turnedAway.status, 503);
  assert.match((await turnedAway.json()).message, /shutting down/);

  await conn.write(body.subarray(half));
  const reply = new Uint8Array(4096);
  const n = await conn.read(reply);
  conn.close();
  const text = new TextDecoder().decode(reply.subarray(0, n ?? 0));
  assert.match(text, /^HTTP\/1\.1 200/);
  assert.match(text, /"requestId":"in-flight"/);

  const status = await server.exited();
  assert.equal(status.code, 0);
  const logs = server.logs.map((l) => JSON.parse(l));
  assert.ok(
    logs.some((l) =>
      l.msg === "shutting down: draining in-flight requests" && l.signal === "SIGTERM"
    ),
  );
  assert.ok(logs.some((l) => l.msg === "stopped"));
  const logged = (await Deno.readTextFile(join(dir, "predictions.jsonl"))).trim().split("\n").map((
    l,
  ) => JSON.parse(l));
  assert.ok(
    logged.some((l) => l.requestId === "in-flight"),
    "the prediction log was flushed on exit",
  );
});

Deno.test("SIGINT stops an idle server cleanly too", async () => {
  const server = await start("--model", bundlePath, "--prediction-log", "off");
  await waitReady(server.url);
  assert.equal((await server.stop("SIGINT")).code, 0);
});

Deno.test("--healthcheck exits 0 against a ready server and 1 against none", async () => {
  const server = await start("--model", bundlePath, "--prediction-log", "off");
  try {
    await waitReady(server.url);
    assert.equal((await run("--healthcheck", "--port", `${server.port}`)).code, 0);
  } finally {
    await server.stop();
  }
  const dead = await run("--healthcheck", "--port", `${server.port}`);
  assert.equal(dead.code, 1);
  assert.match(dead.stderr, /^unhealthy: GET http:\/\/127\.0\.0\.1:\d+\/ready failed/);
});

/** A registry no server answers at: loads fail and are retried, the server stays live. */
const unreachableRegistry = [
  ...["--model", "models:/communities-crime@champion", "--mlflow-uri", "http://127.0.0.1:1"],
  ...["--cache-dir", join(dir, "empty-cache")],
];

/** Waits until the server's first load has failed (its /ready reason names the failure). */
async function waitFailedLoad(url: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const { reason } = await (await fetch(`${url}/ready`)).json();
    if (!/\(loading\)/.test(reason)) return reason;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return assert.fail("the first load never ended");
}

Deno.test("--healthcheck fails with the server's reason while no model can be loaded", async () => {
  const server = await start(...unreachableRegistry, "--prediction-log", "off");
  try {
    await waitFailedLoad(server.url);
    const { code, stderr } = await run("--healthcheck", "--port", `${server.port}`);
    assert.equal(code, 1);
    assert.match(stderr, /^unhealthy: GET http:\/\/127\.0\.0\.1:\d+\/ready answered 503: /);
    assert.ok(stderr.includes("127.0.0.1:1"), stderr);
  } finally {
    await server.stop();
  }
});

Deno.test("a bad configuration exits 2 with the reason and no stack trace", async () => {
  const { code, stderr } = await run("--port", "nope", "--max-batch-rows", "0");
  assert.equal(code, 2);
  assert.match(stderr, /^invalid configuration:\n--port \(SERVE_PORT\): .*\n--max-batch-rows/);
  assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/);
});

Deno.test("a port in use is reported in one log line and exits 1", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { code, stderr } = await run("--model", bundlePath, "--port", `${taken.addr.port}`);
    assert.equal(code, 1);
    const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
    assert.equal(line.msg, "cannot start");
    assert.match(line.error, /in use/i);
    assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/);
  } finally {
    taken.close();
  }
});

Deno.test("a feedback store that cannot be opened stops the start, named without its password", async () => {
  const { code, stderr } = await run(
    ...["--model", bundlePath, "--port", "0"],
    ...["--feedback-store", "postgresql://serve:hunter2-secret@127.0.0.1:1/feedback"],
  );
  assert.equal(code, 1);
  const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
  assert.equal(line.msg, "cannot start");
  assert.match(line.error, /cannot use the feedback store .*127\.0\.0\.1:1.*--feedback-store/);
  assert.doesNotMatch(stderr, /hunter2/);
});

Deno.test("a missing bundle file stops the start at once (exit 2), naming it; nothing is retried", async () => {
  const started = performance.now();
  const { code, stderr } = await run("--model", join(dir, "missing.json"), "--port", "0");
  assert.equal(code, 2);
  assert.match(
    stderr,
    /^invalid configuration:\n--model \(SERVE_MODEL\): .*missing\.json: no such bundle file/,
  );
  assert.ok(performance.now() - started < 10_000);
  const folder = await run("--model", dir, "--port", "0");
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /a directory, not a bundle file/);
});

Deno.test("an unreachable registry leaves the server live but not ready, saying why", async () => {
  const server = await start(...unreachableRegistry, "--prediction-log", "off");
  try {
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    assert.match(await waitFailedLoad(server.url), /127\.0\.0\.1:1/);
    assert.equal((await fetch(`${server.url}/ready`)).status, 503);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test("the server is ready well within a second with a local bundle", async () => {
  const started = performance.now();
  const server = await start("--model", bundlePath, "--prediction-log", "off");
  try {
    await waitReady(server.url);
    const logs = server.logs.map((l) => JSON.parse(l));
    const listening = Date.parse(logs.find((l) => l.msg === "listening").time);
    const loaded = Date.parse(logs.find((l) => l.msg === "model loaded").time);
    assert.ok(loaded - listening < 1000, `model loaded ${loaded - listening} ms after listening`);
    console.error(`ready ${Math.round(performance.now() - started)} ms after spawn`);
  } finally {
    await server.stop();
  }
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});

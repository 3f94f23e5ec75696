import assert from "node:assert/strict";
import { join } from "node:path";
import { METRICS_INTERVAL_MS } from "../../../serve/instances/worker_protocol.ts";
import { sourceCommand, spawnServer } from "../../../tools/serve/spawn_server.ts";
import { randomRow, testBundle, writeBundle } from "../../support/test_bundle.ts";

const dir = await Deno.makeTempDir({ prefix: "serve_workers_" });
const bundlePath = join(dir, "bundle.json");
const first = await testBundle({ seed: 1 });
const second = await testBundle({ seed: 2 });
const logPath = join(dir, "predictions.jsonl");

/** A request on a connection of its own, so the kernel picks an instance each time. */
async function freshRequest(url: string, init?: RequestInit): Promise<Response> {
  const client = Deno.createHttpClient({});
  try {
    const response = await fetch(url, { ...init, client });
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    client.close();
  }
}

async function predict(url: string, seed: number): Promise<{ version: string }> {
  const response = await freshRequest(`${url}/predict`, {
    method: "POST",
    body: JSON.stringify(randomRow(first, seed)),
    headers: { "content-type": "application/json", "x-request-id": `req-${seed}` },
  });
  assert.equal(response.status, 200);
  return { version: (await response.json()).modelVersion };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

Deno.test("two workers share the port, the metrics, reloads and one prediction log", async () => {
  await writeBundle(bundlePath, first);
  const server = await spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--workers", "2", "--model", bundlePath, "--log-level", "debug"],
    ...["--prediction-log", logPath],
  ], { cwd: dir });
  const logs = () => server.logs.map((line) => JSON.parse(line));
  try {
    await until(() => logs().filter((l) => l.msg === "listening").length === 2, "two listeners");
    const requests = 40;
    for (let i = 0; i < requests; i++) await predict(server.url, i);

    // Each access log line names the instance that answered: the kernel used both.
    const answeredBy = new Set(
      logs().filter((l) => l.msg === "request" && l.path === "/predict").map((l) => l.instance),
    );
    assert.deepEqual([...answeredBy].sort(), [0, 1]);

    // Whichever instance answers /metrics counts every instance's predictions.
    const predicted = async () => {
      const text = await (await freshRequest(`${server.url}/metrics`)).text();
      return Number(/^predictions_total\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    // Instances share snapshots every METRICS_INTERVAL_MS: after two, every view is whole.
    await new Promise((resolve) => setTimeout(resolve, 2 * METRICS_INTERVAL_MS));
    for (let i = 0; i < 12; i++) assert.equal(await predicted(), requests);
    // And /monitoring's windows hold every instance's rows, whichever instance answers.
    for (let i = 0; i < 8; i++) {
      const report = await (await freshRequest(`${server.url}/monitoring`)).json();
      assert.deepEqual(
        report.windows.map((w: { rows: number }) => w.rows),
        [requests, requests],
        "drift windows merged across instances",
      );
    }

    // A reload asked of one instance reaches the other.
    await writeBundle(bundlePath, second);
    const reload = await freshRequest(`${server.url}/admin/reload`, { method: "POST" });
    assert.equal(reload.status, 200);
    const newVersion = second.checksum.slice(0, 12);
    await until(
      () => logs().filter((l) => l.msg === "model loaded" && l.version === newVersion).length === 2,
      "both instances to load the new bundle",
    );
    for (let i = 0; i < 10; i++) {
      assert.equal((await predict(server.url, 100 + i)).version, newVersion);
    }
  } finally {
    const status = await server.stop();
    assert.equal(status.code, 0);
  }
  const stopped = logs().find((l) => l.msg === "stopped");
  assert.equal(stopped?.droppedPredictionLogRows, 0);
  const lines = (await Deno.readTextFile(logPath)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 50);
  assert.deepEqual(
    lines.map((l) => l.requestId).sort(),
    [
      ...Array.from({ length: 40 }, (_, i) => `req-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `req-${100 + i}`),
    ]
      .sort(),
  );
});

Deno.test("a worker count below 1 is a configuration error", async () => {
  const [command, ...args] = sourceCommand();
  const output = await new Deno.Command(command, {
    args: [...args, "--workers", "0", "--model", bundlePath],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 2);
  assert.match(new TextDecoder().decode(output.stderr), /--workers.*SERVE_WORKERS/);
});

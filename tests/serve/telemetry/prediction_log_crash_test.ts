/**
 * The prediction log across a crash, with the real server process: predictions under
 * load, SIGKILL in the middle of it, a restart on the same log, more predictions, a
 * clean stop. What the server promises, and so what is asserted: every line of the log
 * is valid JSON; no line that was in the file before the kill is lost; the torn line,
 * if any, is reported (a warning with its size, and one dropped row); and everything
 * acknowledged after the restart is in the log once SIGTERM has flushed it. Rows that
 * were acknowledged but still in the killed server's memory buffers are not promised
 * (the log is written in the background; see serve/telemetry/prediction_log.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  sourceCommand,
  type SpawnedServer,
  spawnServer,
} from "../../../tools/serve/spawn_server.ts";
import { randomRow, testBundle, writeBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const dir = await Deno.makeTempDir({ prefix: "serve_crash_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, bundle);
const logPath = join(dir, "predictions.jsonl");
const ROWS = 25;
const bodies = Array.from({ length: 8 }, (_, i) =>
  JSON.stringify({
    rows: Array.from({ length: ROWS }, (_, r) => randomRow(bundle, 100 * i + r)),
  }));

function start(): Promise<SpawnedServer> {
  return spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", bundlePath, "--prediction-log", logPath],
    ...["--prediction-log-max-bytes", `${1 << 30}`],
  ], { cwd: dir });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${url}/ready`);
    await response.body?.cancel();
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail("not ready");
}

interface Load {
  readonly sent: Set<string>;
  readonly acknowledged: Set<string>;
  stop(): Promise<void>;
}

/** `clients` loops posting batches with ids `<prefix>-<client>-<n>` until stopped or refused. */
function load(url: string, prefix: string, clients: number): Load {
  const sent = new Set<string>();
  const acknowledged = new Set<string>();
  let stopped = false;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; !stopped; n++) {
      const id = `${prefix}-${c}-${n}`;
      sent.add(id);
      try {
        const response = await fetch(`${url}/predict/batch`, {
          method: "POST",
          body: bodies[n % bodies.length],
          headers: { "content-type": "application/json", "x-request-id": id },
        });
        await response.body?.cancel();
        if (response.status === 200) acknowledged.add(id);
      } catch {
        return; // the server is gone
      }
    }
  });
  return {
    sent,
    acknowledged,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** The text up to and including the last line break. */
function wholeLines(text: string): string {
  return text.slice(0, text.lastIndexOf("\n") + 1);
}

const encoder = new TextEncoder();

Deno.test("a SIGKILL under load leaves a log whose every line parses after a restart", async () => {
  const first = await start();
  await waitReady(first.url);
  const before = load(first.url, "before", 4);
  // Let the background writes go to disk a few times, then kill in the middle of them.
  let flushedBeforeKill = "";
  for (let i = 0; i < 200 && flushedBeforeKill.length < 2_000_000; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    flushedBeforeKill = wholeLines(await Deno.readTextFile(logPath));
  }
  assert.ok(flushedBeforeKill.length > 0, "nothing was written before the kill");
  const killed = await first.stop("SIGKILL");
  await before.stop();
  assert.equal(killed.signal, "SIGKILL");

  let afterKill = await Deno.readTextFile(logPath);
  const tornByKill = !afterKill.endsWith("\n");
  if (!tornByKill) {
    // The kill fell between two writes: add what a kill inside the next write would
    // have left, the first half of a line, so that the restart always meets one.
    const last = afterKill.slice(afterKill.lastIndexOf("\n", afterKill.length - 2) + 1);
    afterKill += last.slice(0, Math.floor(last.length / 2));
    await Deno.writeTextFile(logPath, afterKill);
  }
  const flushed = wholeLines(afterKill);
  const tornBytes = encoder.encode(afterKill.slice(flushed.length)).length;
  assert.ok(tornBytes > 0);
  assert.ok(flushed.startsWith(flushedBeforeKill), "the kill lost no line already in the file");
  console.error(
    `${flushed.split("\n").length - 1} whole lines and ${tornBytes} bytes of a torn one ` +
      `after the kill (${tornByKill ? "torn by the kill itself" : "torn by the test"}); ` +
      `${before.acknowledged.size} batches acknowledged before it`,
  );

  const second = await start();
  await waitReady(second.url);
  const after = load(second.url, "after", 2);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await after.stop();
  const stopped = await second.stop("SIGTERM");
  assert.equal(stopped.code, 0, second.logs.join("\n"));
  assert.ok(after.acknowledged.size > 0);

  const text = await Deno.readTextFile(logPath);
  assert.ok(text.endsWith("\n"));
  const lines = text.slice(0, -1).split("\n");
  const invalid = lines.flatMap((line, i) => {
    try {
      JSON.parse(line);
      return [];
    } catch {
      return [`line ${i + 1}: ${line.slice(0, 80)}...`];
    }
  });
  assert.deepEqual(invalid, [], "every line of the log is valid JSON");
  assert.ok(text.startsWith(flushed), "every line written before the kill is still there");

  const rows = lines.map((line) => JSON.parse(line) as { requestId: string; row: number });
  const sent = new Set([...before.sent, ...after.sent]);
  assert.deepEqual(rows.filter((r) => !sent.has(r.requestId)), [], "no line of unknown origin");

  const logs = second.logs.map((line) => JSON.parse(line));
  const warning = logs.find((l) => l.level === "warn" && l.path === logPath);
  assert.equal(warning?.bytes, tornBytes, "the restart reports the torn line and its size");
  // Everything acknowledged after the restart is logged, but for rows counted as dropped:
  // the torn row of the crash, and any that found both buffers full.
  const dropped = logs.find((l) => l.msg === "stopped")?.droppedPredictionLogRows;
  const logged = new Map<string, number>();
  for (const row of rows) logged.set(row.requestId, (logged.get(row.requestId) ?? 0) + 1);
  const missing = [...after.acknowledged]
    .reduce((sum, id) => sum + ROWS - (logged.get(id) ?? 0), 0);
  assert.ok(dropped >= 1, `dropped ${dropped}`);
  assert.equal(missing, dropped - 1, "acknowledged rows missing from the log");
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});

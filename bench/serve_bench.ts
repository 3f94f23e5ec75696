/**
 * Speed of the prediction server on loopback: time from spawn to ready, resident memory,
 * single-row `/predict` throughput and latency under wrk at 1 and 32 connections, and
 * the latency of 1000-row `/predict/batch` requests, each printed against its target.
 * Request bodies are communities of the data set, as a client would send them.
 * The prediction log is on, as in production. Each 32-connection run is followed by the
 * same run against a server with the connection guard off, and the throughput ratio of
 * the pairs says what the guard costs. For scale, the same wrk run is also made
 * against a bare `Deno.serve` that only parses the body: the machine's ceiling.
 *
 * Usage: `deno run -A bench/serve_bench.ts [--bundle <bundle.json>] [--binary <path>]
 * [--duration 10] [--batches 50] [--repeats 3] [--workers <CPUs>] [--wrk-threads <CPUs / 2>]`;
 * `--workers` is passed to the server; the 32-connection run is made `--repeats` times and
 * the run with the median throughput is reported against the targets. Without `--bundle`, `models/model_bundle.json` is used
 * if it exists, else a synthetic ridge bundle. Needs `wrk` on PATH.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memoryMiB } from "../tools/serve/process_memory.ts";
import { sourceCommand, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript, type WrkResult } from "../tools/serve/wrk.ts";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    binary: { type: "string" },
    duration: { type: "string", default: "10" },
    batches: { type: "string", default: "50" },
    repeats: { type: "string", default: "3" },
    workers: { type: "string", default: String(navigator.hardwareConcurrency) },
    // The load generator shares the machine: half its cores at most, so it measures the
    // server rather than the two competing for the same cores.
    "wrk-threads": {
      type: "string",
      default: String(Math.max(1, Math.floor(navigator.hardwareConcurrency / 2))),
    },
  },
  strict: true,
});
const duration = Number(values.duration);
const wrkThreads = Number(values["wrk-threads"]);
const repeats = Number(values.repeats);
const batches = Number(values.batches);
const wrk = (url: string, script: string, connections: number, seconds: number) =>
  runWrk(url, { script, connections, seconds, threads: wrkThreads });
const scratch = await Deno.makeTempDir({ prefix: "serve_bench_" });

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The flags that turn the connection guard off (`serve/instances/connection_guard.ts`). */
const GUARD_OFF = [
  ...["--max-connections", "0", "--header-timeout", "0"],
  ...["--request-timeout", "0", "--idle-timeout", "0"],
];

/** A server that parses the JSON body and answers a constant: the ceiling for /predict. */
const BARE_SERVER = `Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) =>
  console.error(JSON.stringify({ msg: "listening", port })) },
  async (request) => Response.json({ rows: Object.keys(JSON.parse(await request.text())).length }));`;

const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
const command = values.binary ? [values.binary] : sourceCommand();
const rows: string[] = [];
const report = (metric: string, measured: string, target: string, ok: boolean) =>
  rows.push(
    `${metric.padEnd(34)} ${measured.padStart(14)}   ${target.padEnd(12)} ${ok ? "ok" : "MISSED"}`,
  );

const spawned = performance.now();
const server = await spawnServer([
  ...command,
  ...["--port", "0", "--model", path, "--prediction-log", join(scratch, "predictions.jsonl")],
  ...["--workers", values.workers],
]);
let readyMs = NaN;
while (Number.isNaN(readyMs)) {
  const response = await fetch(`${server.url}/ready`);
  await response.body?.cancel();
  if (response.status === 200 && server.instancesListening() >= Number(values.workers)) {
    readyMs = performance.now() - spawned;
  } else await new Promise((resolve) => setTimeout(resolve, 5));
}
try {
  report("start-up: spawn to all ready", `${readyMs.toFixed(0)} ms`, "< 1000 ms", readyMs < 1000);
  report(
    "resident memory when ready",
    `${memoryMiB(server.process.pid).rss.toFixed(0)} MiB`,
    "(report)",
    true,
  );

  const communities = await dataRows(bundle.features.map((f) => f.name));
  const script = await writePostScript(scratch, JSON.stringify(communities[0]));
  const bare = await spawnServer([Deno.execPath(), "eval", BARE_SERVER]);
  try {
    await wrk(`${bare.url}/`, script, 32, 3);
    const ceiling = await wrk(`${bare.url}/`, script, 32, duration);
    report(
      "bare Deno.serve 32 conns: req/s, p99",
      `${ceiling.requestsPerSecond.toFixed(0)}, ${ceiling.p99Ms.toFixed(2)} ms`,
      "(ceiling)",
      true,
    );
  } finally {
    await bare.stop();
  }
  const predict = `${server.url}/predict`;
  await wrk(predict, script, 32, 3); // warm-up: JIT and connection set-up
  const one = await wrk(predict, script, 1, duration);
  // The machine's noise moves single runs by ±20%: three runs, the median one counts.
  // Interleaved with each run, the same run against a server with the connection guard
  // off: the guard's cost as a ratio measured under the same noise.
  const unguarded = await spawnServer([
    ...command,
    ...["--port", "0", "--model", path, "--prediction-log", join(scratch, "unguarded.jsonl")],
    ...["--workers", values.workers, ...GUARD_OFF],
  ]);
  const runs: WrkResult[] = [];
  const ratios: number[] = [];
  try {
    while (unguarded.instancesListening() < Number(values.workers)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await wrk(`${unguarded.url}/predict`, script, 32, 3);
    for (let i = 0; i < repeats; i++) {
      const guarded = await wrk(predict, script, 32, duration);
      const direct = await wrk(`${unguarded.url}/predict`, script, 32, duration);
      runs.push(guarded);
      ratios.push(guarded.requestsPerSecond / direct.requestsPerSecond);
    }
  } finally {
    await unguarded.stop();
  }
  ratios.sort((a, b) => a - b);
  report(
    "guard on / off, 32 conns: req/s ratio",
    `${ratios[Math.floor(ratios.length / 2)].toFixed(2)} (${ratios[0].toFixed(2)}-${
      ratios.at(-1)!.toFixed(2)
    })`,
    "(report)",
    true,
  );
  runs.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const many = runs[Math.floor(runs.length / 2)];
  report("/predict 1 conn: req/s", one.requestsPerSecond.toFixed(0), "(report)", one.errors === 0);
  report(
    "/predict 1 conn: p50 / p99",
    `${one.p50Ms.toFixed(2)} / ${one.p99Ms.toFixed(2)} ms`,
    "(report)",
    true,
  );
  report(
    "/predict 32 conns: req/s",
    many.requestsPerSecond.toFixed(0),
    ">= 15000",
    many.requestsPerSecond >= 15_000,
  );
  report("/predict 32 conns: p99", `${many.p99Ms.toFixed(2)} ms`, "< 5 ms", many.p99Ms < 5);
  report("/predict 32 conns: p50", `${many.p50Ms.toFixed(2)} ms`, "(report)", true);
  report(
    `  ${runs.length} runs: req/s; p99 ms`,
    `${runs.map((r) => r.requestsPerSecond.toFixed(0)).join(" ")}; ${
      runs.map((r) => r.p99Ms.toFixed(1)).join(" ")
    }`,
    "(median used)",
    true,
  );
  report(
    "/predict errors (non-2xx, timeouts)",
    `${runs.reduce((sum, r) => sum + r.errors, one.errors)}`,
    "0",
    runs.every((r) => r.errors === 0) && one.errors === 0,
  );

  const batch = JSON.stringify({
    rows: communities.slice(0, 1000),
  });
  const latencies: number[] = [];
  for (let i = 0; i < batches + 5; i++) {
    const started = performance.now();
    const response = await fetch(`${server.url}/predict/batch`, {
      method: "POST",
      body: batch,
      headers: { "content-type": "application/json" },
    });
    const body = await response.json();
    if (response.status !== 200 || body.predictions.length !== 1000) {
      throw new Error(`batch answered ${response.status}`);
    }
    if (i >= 5) latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p));
  report(`1000-row batch: p50 (n=${batches})`, `${p50.toFixed(1)} ms`, "< 40 ms", p50 < 40);
  report("1000-row batch: p95 / p99", `${p95.toFixed(1)} / ${p99.toFixed(1)} ms`, "(report)", true);
  report(
    "resident memory after load",
    `${memoryMiB(server.process.pid).rss.toFixed(0)} MiB`,
    "(report)",
    true,
  );
} finally {
  const status = await server.stop();
  const dropped = server.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "stopped")
    ?.droppedPredictionLogRows;
  report(
    "clean exit on SIGTERM; log rows dropped",
    `${status.code}; ${dropped}`,
    "0; (report)",
    status.code === 0,
  );
  await Deno.remove(scratch, { recursive: true });
}

console.log(
  `serve benchmark: ${label}, ${
    values.binary ?? "deno run serve/main.ts"
  }, --workers ${values.workers}, wrk -t${wrkThreads}, ${navigator.hardwareConcurrency} CPUs`,
);
console.log(`${"metric".padEnd(34)} ${"measured".padStart(14)}   ${"target".padEnd(12)}`);
for (const row of rows) console.log(row);

/**
 * A sustained load on the prediction server with its default prediction-log settings:
 * wrk POSTs single communities to `/predict` for `--duration` seconds (60 by default) at
 * `--connections` (64) against `--workers` (2) instances, then the script checks what an
 * operator relies on and prints it:
 * - errors (non-2xx answers, socket errors): target 0;
 * - prediction-log rows dropped (the server's own counter and its exit report): target 0;
 * - the retained log files: every line valid JSON, rows and the span of time they cover;
 * - resident memory before the load, after it, and its peak.
 *
 * Usage: `deno run -A bench/serve_load.ts [--bundle <bundle.json>] [--duration 60]
 * [--connections 64] [--workers 2] [--wrk-threads 1] [-- <extra server flags>]`.
 * Needs `wrk` on PATH.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { logFiles, readPredictionLog } from "../serve/telemetry/prediction_log_reader.ts";
import { memoryMiB } from "../tools/serve/process_memory.ts";
import { sourceCommand, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript } from "../tools/serve/wrk.ts";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "64" },
    workers: { type: "string", default: "2" },
    "wrk-threads": { type: "string", default: "1" },
  },
  allowPositionals: true,
  strict: true,
});
const workers = Number(values.workers);
const scratch = await Deno.makeTempDir({ prefix: "serve_load_" });
const logPath = join(scratch, "predictions.jsonl");
const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
const [community] = await dataRows(bundle.features.map((f) => f.name));
const script = await writePostScript(scratch, JSON.stringify(community));

const rows: string[] = [];
const report = (metric: string, measured: string, target = "(report)", ok = true) =>
  rows.push(
    `${metric.padEnd(40)} ${measured.padStart(22)}   ${target.padEnd(8)} ${ok ? "ok" : "MISSED"}`,
  );

/** The sum of every sample of `name` in a Prometheus text exposition. */
function metricSum(exposition: string, name: string): number {
  return exposition.split("\n")
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

const server = await spawnServer([
  ...sourceCommand(),
  ...["--port", "0", "--model", path, "--prediction-log", logPath, "--workers", values.workers],
  ...positionals,
]);
try {
  while (server.instancesListening() < workers) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const before = memoryMiB(server.process.pid).rss;
  const load = await runWrk(`${server.url}/predict`, {
    connections: Number(values.connections),
    seconds: Number(values.duration),
    threads: Number(values["wrk-threads"]),
    script,
  });
  const after = memoryMiB(server.process.pid);
  const exposition = await (await fetch(`${server.url}/metrics`)).text();
  const predicted = metricSum(exposition, "predictions_total");
  const droppedLive = metricSum(exposition, "prediction_log_dropped_total");
  const status = await server.stop();
  const stopped = server.logs.map((line) => JSON.parse(line)).find((l) => l.msg === "stopped");

  let kept = 0, invalid = 0, partial = 0, bytes = 0;
  let first = "", last = "";
  for (const file of await logFiles(logPath)) {
    bytes += (await Deno.stat(file)).size;
    const log = readPredictionLog(file);
    for await (const row of log) {
      first ||= row.time;
      last = row.time;
    }
    kept += log.rows;
    invalid += log.invalidLines;
    partial += log.partialLineBytes;
  }
  const spanSeconds = (Date.parse(last) - Date.parse(first)) / 1000;
  const lineBytes = bytes / Math.max(kept, 1);

  report(
    `/predict ${values.connections} conns, ${values.duration} s: req/s`,
    load.requestsPerSecond.toFixed(0),
  );
  report("  p50 / p99", `${load.p50Ms.toFixed(2)} / ${load.p99Ms.toFixed(2)} ms`);
  report("errors (non-2xx, socket)", String(load.errors), "0", load.errors === 0);
  report("rows predicted (server counter)", String(predicted));
  const dropped = stopped?.droppedPredictionLogRows;
  report(
    "log rows dropped: live counter; at exit",
    `${droppedLive}; ${dropped}`,
    "0; 0",
    droppedLive === 0 && dropped === 0,
  );
  report(
    "log lines invalid; partial bytes",
    `${invalid}; ${partial}`,
    "0; 0",
    !invalid && !partial,
  );
  report(
    "log kept: files, MiB, rows",
    `${(await logFiles(logPath)).length}, ${(bytes / 2 ** 20).toFixed(0)}, ${kept}`,
  );
  report("log kept: seconds of this load", spanSeconds.toFixed(1));
  report("log bytes per row", lineBytes.toFixed(0));
  report(
    "resident memory before / after / peak",
    `${before.toFixed(0)} / ${after.rss.toFixed(0)} / ${after.peak.toFixed(0)} MiB`,
  );
  report("exit code on SIGTERM", String(status.code), "0", status.code === 0);
} finally {
  await server.stop();
  await Deno.remove(scratch, { recursive: true });
}

console.log(
  `serve load: ${label}, --workers ${values.workers}, wrk -t${values["wrk-threads"]}, ` +
    `${navigator.hardwareConcurrency} CPUs`,
);
for (const row of rows) console.log(row);

/**
 * What monitoring costs the server, on the pipeline's bundle and the data set's rows:
 * - per row: `DriftMonitor.observe` alone, in ns per row (target under 2 µs), row by row
 *   and in 1000-row batches, with the spread of `--repeats` runs; and the time to compute
 *   a report (`/monitoring`);
 * - memory: the windows' size, and the heap before and after a million more rows (it
 *   must not grow with traffic);
 * - `/predict` over HTTP: wrk at 32 connections against three servers run in turn
 *   `--repeats` times: the default (drift tracking and a SQLite feedback store that
 *   records every prediction), drift only (`--feedback-store off`), and neither; the
 *   throughput ratio of each to the last, and the p99s.
 *
 * Usage: `deno run -A --v8-flags=--expose-gc bench/monitoring_cost.ts [--bundle
 * <bundle.json>] [--repeats 3] [--duration 8] [--workers 1]` (without `--expose-gc` the
 * heap is not judged). Needs `wrk` on PATH.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { DEFAULT_DRIFT_SETTINGS, DriftMonitor } from "../serve/monitoring/drift_monitor.ts";
import { createServedModel } from "../serve/model/served_model.ts";
import { sourceCommand, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript, type WrkResult } from "../tools/serve/wrk.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    repeats: { type: "string", default: "3" },
    duration: { type: "string", default: "8" },
    workers: { type: "string", default: "1" },
  },
  strict: true,
});
const repeats = Number(values.repeats);
const scratch = await Deno.makeTempDir({ prefix: "monitoring_bench_" });
const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
const model = createServedModel(
  { bundle, identity: { name: "bench", version: "1", origin: "file", location: path } },
  { maxBatchRows: 1000 },
);
const communities = await dataRows(bundle.features.map((f) => f.name));
const width = model.featureCount;
const x = new Float64Array(communities.length * width);
communities.forEach((row, i) => model.packRow(row, x, i * width));
const y = model.predict(x, communities.length);

const lines: string[] = [];
const report = (metric: string, measured: string, target = "(report)", ok = true) =>
  lines.push(
    `${metric.padEnd(44)} ${measured.padStart(26)}   ${target.padEnd(10)} ${ok ? "ok" : "MISSED"}`,
  );
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[], digits: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `${median(xs).toFixed(digits)} (${sorted[0].toFixed(digits)}-${
    sorted.at(-1)!.toFixed(digits)
  })`;
};

// Per row: the whole data set, row by row as /predict feeds it, many times over.
const monitor = new DriftMonitor(bundle);
const observeRows = (times: number) => {
  const one = new Float64Array(1);
  for (let t = 0; t < times; t++) {
    for (let i = 0; i < communities.length; i++) {
      one[0] = y[i];
      monitor.observe(x.subarray(i * width, (i + 1) * width), 1, one);
    }
  }
  return times * communities.length;
};
observeRows(20); // warm-up: JIT
const perRow: number[] = [];
for (let r = 0; r < repeats; r++) {
  const started = performance.now();
  const rows = observeRows(50);
  perRow.push(((performance.now() - started) * 1e6) / rows);
}
report("observe: ns per row, median (range)", spread(perRow, 0), "< 2000", median(perRow) < 2000);
// In batches of 1000 rows, as /predict/batch feeds it: counted once for both windows.
const batchRows = Math.min(1000, communities.length);
const observeBatches = (times: number) => {
  for (let t = 0; t < times; t++) {
    monitor.observe(x.subarray(0, batchRows * width), batchRows, y.subarray(0, batchRows));
  }
  return times * batchRows;
};
observeBatches(50);
const perBatchRow: number[] = [];
for (let r = 0; r < repeats; r++) {
  const started = performance.now();
  const rows = observeBatches(200);
  perBatchRow.push(((performance.now() - started) * 1e6) / rows);
}
report(`observe in ${batchRows}-row batches: ns per row`, spread(perBatchRow, 0));
const reportMs: number[] = [];
for (let r = 0; r < Math.max(5, repeats); r++) {
  const started = performance.now();
  monitor.report();
  reportMs.push(performance.now() - started);
}
report("report of both windows: ms", spread(reportMs, 2));

const columns = Object.keys(bundle.reference.features).length + 1;
const { windowRows, windowMinutes } = DEFAULT_DRIFT_SETTINGS;
const slots = bundle.reference.prediction.histogram.counts.length + 2; // bins, missing, out of range
// A byte per cell of the row ring; counts (4 bytes a slot) for both windows and each minute.
const windowBytes = columns * windowRows + columns * slots * 4 * (2 + windowMinutes);
report(
  `windows' size (${windowRows} rows, ${windowMinutes} minutes)`,
  `${(windowBytes / 2 ** 20).toFixed(1)} MiB`,
);
// deno-lint-ignore no-explicit-any
const gc = (globalThis as any).gc as (() => void) | undefined;
gc?.();
const heapBefore = Deno.memoryUsage().heapUsed;
observeRows(500); // about a million rows
gc?.();
const heapAfter = Deno.memoryUsage().heapUsed;
report(
  `heap before / after ${(500 * communities.length / 1e6).toFixed(1)}M rows`,
  `${(heapBefore / 2 ** 20).toFixed(1)} / ${(heapAfter / 2 ** 20).toFixed(1)} MiB`,
  // Without a collection before each reading the heap holds garbage: not judged.
  gc ? "no growth" : "needs gc",
  !gc || heapAfter - heapBefore < 4 * 2 ** 20,
);

// Over HTTP: the same server with everything on (the default), with drift tracking only,
// and with both off, in turn.
const script = await writePostScript(scratch, JSON.stringify(communities[0]));
const configs = [
  {
    name: "drift + feedback",
    flags: ["--feedback-store", `sqlite:${join(scratch, "feedback.db")}`],
  },
  { name: "drift only", flags: ["--feedback-store", "off"] },
  { name: "both off", flags: ["--feedback-store", "off", "--drift", "off"] },
] as const;
const servers = await Promise.all(configs.map((config, i) =>
  spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", path, "--prediction-log", join(scratch, `${i}.jsonl`)],
    ...["--workers", values.workers, ...config.flags],
  ])
));
try {
  const all = () => servers.reduce((n, s) => n + s.instancesListening(), 0);
  while (all() < servers.length * Number(values.workers)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const wrk = (url: string, seconds: number) =>
    runWrk(`${url}/predict`, { connections: 32, seconds, threads: 1, script });
  for (const server of servers) await wrk(server.url, 2);
  const rps = configs.map(() => [] as number[]);
  const p99 = configs.map(() => [] as number[]);
  const ratios = configs.map(() => [] as number[]);
  let errors = 0;
  for (let r = 0; r < repeats; r++) {
    const round: WrkResult[] = [];
    for (const server of servers) round.push(await wrk(server.url, Number(values.duration)));
    round.forEach((result, i) => {
      rps[i].push(result.requestsPerSecond);
      p99[i].push(result.p99Ms);
      ratios[i].push(result.requestsPerSecond / round.at(-1)!.requestsPerSecond);
      errors += result.errors;
    });
  }
  configs.forEach((config, i) => {
    report(`/predict req/s, ${config.name}`, spread(rps[i], 0));
    report(`  p99 ms, ${config.name}`, spread(p99[i], 2));
    if (i < configs.length - 1) report(`  ratio to both off`, spread(ratios[i], 3));
  });
  report("errors (non-2xx, socket)", String(errors), "0", errors === 0);
} finally {
  for (const server of servers) await server.stop();
  await Deno.remove(scratch, { recursive: true });
}

console.log(
  `monitoring cost: ${label}, ${communities.length} rows, ${columns} columns, --workers ` +
    `${values.workers}, ${navigator.hardwareConcurrency} CPUs`,
);
for (const line of lines) console.log(line);

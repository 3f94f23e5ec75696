/**
 * The capacity of one server instance (`--workers 1`) for capacity planning: the highest
 * `/predict` rate it answers within the latency objective (99 % within 25 ms, the
 * objective of monitoring/prometheus/rules), and the CPU it spends doing so.
 *
 * First a closed-loop wrk run finds the saturation rate. Then paced runs offer fixed
 * fractions of it: each wrk connection waits a fixed delay between requests (wrk's Lua
 * `delay` hook), so the offered rate is about connections x 1000 / delay per second, as
 * clients that do not wait for each other would send it, and the run reports the rate
 * reached, p50 and p99, errors, and the server's CPU seconds per wall second (from
 * /proc). The rates below the objective give requests per second per core, which
 * deploy/kubernetes/README.md turns into autoscaling targets and replica bounds.
 *
 * Usage: `deno run -A bench/serve_capacity.ts [--bundle <bundle.json>] [--duration 15]
 * [--fractions 0.3,0.5,0.7,0.85] [--objective-ms 25]`. Needs `wrk` on PATH.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuSeconds } from "../tools/serve/process_cpu.ts";
import { memoryMiB } from "../tools/serve/process_memory.ts";
import { sourceCommand, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript } from "../tools/serve/wrk.ts";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    duration: { type: "string", default: "15" },
    fractions: { type: "string", default: "0.3,0.5,0.7,0.85" },
    "objective-ms": { type: "string", default: "25" },
  },
  strict: true,
});
const seconds = Number(values.duration);
const objectiveMs = Number(values["objective-ms"]);
const fractions = values.fractions.split(",").map(Number);
/** Milliseconds each paced connection waits between requests. */
const DELAY_MS = 10;

const scratch = await Deno.makeTempDir({ prefix: "serve_capacity_" });
const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
const [community] = await dataRows(bundle.features.map((f) => f.name));
const script = await writePostScript(scratch, JSON.stringify(community));
const paced = join(scratch, "wrk_paced.lua");
await Deno.writeTextFile(
  paced,
  `${await Deno.readTextFile(script)}function delay()\n  return ${DELAY_MS}\nend\n`,
);

const server = await spawnServer([
  ...sourceCommand(),
  ...["--port", "0", "--model", path, "--workers", "1"],
  ...["--prediction-log", join(scratch, "predictions.jsonl")],
]);
const rows: string[] = [];
const row = (cells: string[]) =>
  rows.push(cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(10))).join(" "));
row(["run", "offered/s", "req/s", "p50 ms", "p99 ms", "errors", "cores", "req/s/core"]);
const fits: { rate: number; perCore: number }[] = [];
try {
  const url = `${server.url}/predict`;
  const measure = async (name: string, offered: number | undefined, connections: number) => {
    const before = cpuSeconds(server.process.pid);
    const started = performance.now();
    const result = await runWrk(url, {
      connections,
      seconds,
      threads: 1,
      script: offered === undefined ? script : paced,
    });
    const cores = (cpuSeconds(server.process.pid) - before) /
      ((performance.now() - started) / 1000);
    const perCore = result.requestsPerSecond / cores;
    row([
      name,
      offered === undefined ? "(max)" : offered.toFixed(0),
      result.requestsPerSecond.toFixed(0),
      result.p50Ms.toFixed(2),
      result.p99Ms.toFixed(2),
      String(result.errors),
      cores.toFixed(2),
      perCore.toFixed(0),
    ]);
    return { ...result, cores, perCore };
  };
  const saturation = await measure("closed loop, 16 conns", undefined, 16);
  for (const fraction of fractions) {
    const connections = Math.max(1, Math.round(saturation.requestsPerSecond * fraction / 100));
    const offered = connections * 1000 / DELAY_MS;
    const result = await measure(`paced ${fraction}`, offered, connections);
    if (result.p99Ms <= objectiveMs && result.errors === 0) {
      fits.push({ rate: result.requestsPerSecond, perCore: result.perCore });
    }
  }
  rows.push(`resident memory after the runs: ${memoryMiB(server.process.pid).rss.toFixed(0)} MiB`);
} finally {
  await server.stop();
  await Deno.remove(scratch, { recursive: true });
}

console.log(
  `serve capacity: ${label}, --workers 1, wrk -t1, ${navigator.hardwareConcurrency} CPUs, ` +
    `${seconds} s a run, objective p99 <= ${objectiveMs} ms`,
);
for (const line of rows) console.log(line);
const best = fits.at(-1);
console.log(
  best
    ? `capacity within the objective: ${best.rate.toFixed(0)} req/s on one instance, ` +
      `${best.perCore.toFixed(0)} req/s per core used`
    : "no paced run met the objective",
);

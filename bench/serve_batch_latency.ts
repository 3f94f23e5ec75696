/**
 * What the prediction log costs the server, per bundle kind: servers run side by side (a
 * linear bundle and the ensemble, each with the log on and off; with `--baseline <dir>`,
 * the same four again from another checkout's `serve/main.ts`) and are measured under
 * the same noise, interleaved:
 * - the latency of a 1000-row `POST /predict/batch` (records JSON, about 2.5 MB), sent
 *   to every server in turn, round after round: median, p90 and min-max per server, and
 *   the log on / off ratio of each round (median and min-max);
 * - a sustained load (wrk at `--connections` on `--load-path`), cut into `--segments`
 *   segments per server that rotate between the servers of a bundle: p99 per segment,
 *   and the on / off ratio of the segments run next to each other (median and min-max);
 * - resident memory at ready and after all the load, and their ratio.
 * A floor server (`bench/http_floor_server.ts`: reads the body, answers at once) takes part
 * in the batch rounds, so that each median is also given over what HTTP and the client
 * cost alone. With a baseline, the medians of this checkout over the baseline's close
 * the report.
 *
 * The linear bundle is `--linear` (default `examples/model_bundle.json`, a ridge on the
 * whole contract); the ensemble is `--ensemble` (default `models/model_bundle.json`).
 *
 * Usage: `deno run -A bench/serve_batch_latency.ts [--linear examples/model_bundle.json]
 * [--ensemble models/model_bundle.json] [--baseline <checkout>] [--rounds 60]
 * [--load-seconds 60] [--segments 4] [--connections 32] [--load-path /predict]
 * [--wrk-threads 1]`. Needs `wrk` on PATH. A baseline checkout of another commit:
 * `git worktree add --detach /tmp/base <commit>` (with `node_modules` linked in).
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memoryMiB } from "../tools/serve/process_memory.ts";
import { sourceCommand, type SpawnedServer, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript } from "../tools/serve/wrk.ts";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    linear: { type: "string", default: "examples/model_bundle.json" },
    ensemble: { type: "string", default: "models/model_bundle.json" },
    baseline: { type: "string" },
    rounds: { type: "string", default: "60" },
    "load-seconds": { type: "string", default: "60" },
    segments: { type: "string", default: "4" },
    connections: { type: "string", default: "32" },
    "load-path": { type: "string", default: "/predict" },
    "wrk-threads": { type: "string", default: "1" },
  },
  strict: true,
});
const rounds = Number(values.rounds);
const segments = Number(values.segments);
const segmentSeconds = Number(values["load-seconds"]) / segments;
// wrk takes whole seconds: a fractional segment would fail only after the latency rounds.
if (!Number.isInteger(segmentSeconds) || segmentSeconds < 1) {
  console.error(
    `--load-seconds ${values["load-seconds"]} must be a whole number of seconds per segment ` +
      `(--segments ${segments}), e.g. ${Math.max(1, Math.round(segmentSeconds)) * segments}`,
  );
  Deno.exit(2);
}
const scratch = await Deno.makeTempDir({ prefix: "serve_batch_latency_" });

const bundles = [
  { kind: "ridge", path: values.linear, target: 8 },
  { kind: "ensemble", path: values.ensemble, target: 12 },
];
const own = sourceCommand();
const checkouts = [
  ...(values.baseline
    ? [{ label: "base", command: [...own.slice(0, -1), join(values.baseline, "serve/main.ts")] }]
    : []),
  { label: values.baseline ? "this" : "", command: own },
];

interface Server {
  readonly name: string;
  readonly checkout: string;
  readonly kind: string;
  readonly log: boolean;
  readonly server: SpawnedServer;
  readonly readyRss: number;
  readonly latencies: number[];
  readonly p99s: number[];
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const quantile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const spread = (xs: readonly number[], digits = 2) =>
  `${fmt(quantile(xs, 0.5), digits)} (${fmt(Math.min(...xs), digits)}-${
    fmt(Math.max(...xs), digits)
  })`;
const ratios = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x / b[i]);

const servers: Server[] = [];
let floor: SpawnedServer | undefined;
const floorLatencies: number[] = [];
try {
  floor = await spawnServer([
    Deno.execPath(),
    "run",
    "--allow-net",
    new URL("./http_floor_server.ts", import.meta.url).pathname,
  ]);
  for (const { label, command } of checkouts) {
    for (const { kind, path } of bundles) {
      for (const log of [true, false]) {
        const server = await spawnServer([
          ...command,
          ...["--port", "0", "--model", path, "--workers", "1"],
          ...["--feedback-store", "off"],
          ...["--prediction-log", log ? join(scratch, `${label}${kind}.jsonl`) : "off"],
        ]);
        while (
          (await fetch(`${server.url}/ready`).then((r) => (r.body?.cancel(), r.status))) !== 200
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        servers.push({
          name: `${label} ${kind} log ${log ? "on" : "off"}`.trim(),
          checkout: label,
          kind,
          log,
          server,
          readyRss: memoryMiB(server.process.pid).rss,
          latencies: [],
          p99s: [],
        });
      }
    }
  }
  const find = (checkout: string, kind: string, log: boolean) =>
    servers.find((s) => s.checkout === checkout && s.kind === kind && s.log === log)!;
  const names = (await openBundle(await Deno.readTextFile(values.ensemble), values.ensemble))
    .features.map((f) => f.name);
  const communities = await dataRows(names);
  const batchText = JSON.stringify({ rows: communities.slice(0, 1000) });
  // Encoded once: the client costs the same for every server and stays small.
  const batch = new TextEncoder().encode(batchText);
  const post = async (url: string) => {
    const started = performance.now();
    const response = await fetch(`${url}/predict/batch`, {
      method: "POST",
      body: batch,
      headers: { "content-type": "application/json" },
    });
    const body = await response.json();
    if (response.status !== 200 || body.predictions.length !== 1000) {
      throw new Error(`batch answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
    }
    return performance.now() - started;
  };
  for (let round = -5; round < rounds; round++) {
    // Every round in another order, so no server always follows the same one.
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) {
      const ms = await post(s.server.url);
      if (round >= 0) s.latencies.push(ms);
    }
    const ms = await post(floor.url);
    if (round >= 0) floorLatencies.push(ms);
  }

  const loadBody = values["load-path"] === "/predict/batch"
    ? batchText
    : JSON.stringify(communities[0]);
  const script = await writePostScript(scratch, loadBody);
  const wrk = (s: Server, seconds: number) =>
    runWrk(`${s.server.url}${values["load-path"]}`, {
      script,
      connections: Number(values.connections),
      seconds,
      threads: Number(values["wrk-threads"]),
    });
  for (const { kind } of bundles) {
    const group = servers.filter((s) => s.kind === kind);
    for (const s of group) await wrk(s, 2); // warm-up
    for (let i = 0; i < segments; i++) {
      for (const s of i % 2 === 0 ? group : [...group].reverse()) {
        const result = await wrk(s, segmentSeconds);
        if (result.errors > 0) throw new Error(`${s.name}: ${result.errors} errors under load`);
        s.p99s.push(result.p99Ms);
      }
    }
  }

  const afterRss = new Map(servers.map((s) => [s, memoryMiB(s.server.process.pid).rss]));
  console.log(
    `serve batch latency: ${rounds} interleaved rounds, load ${values["load-path"]} at ` +
      `${values.connections} conns, ${segments} x ${segmentSeconds} s per server, ` +
      `${navigator.hardwareConcurrency} CPUs`,
  );
  console.log(
    `${"server".padEnd(23)} ${"batch p50".padStart(9)} ${"p90".padStart(6)} ${
      "min-max".padStart(11)
    } ${"load p99 ms, by segment".padStart(27)} ${"RSS ready".padStart(9)} ${"after".padStart(6)} ${
      "ratio".padStart(5)
    }`,
  );
  for (const s of servers) {
    const rss = afterRss.get(s)!;
    console.log(
      `${s.name.padEnd(23)} ${fmt(quantile(s.latencies, 0.5), 2).padStart(9)} ${
        fmt(quantile(s.latencies, 0.9), 1).padStart(6)
      } ${`${fmt(Math.min(...s.latencies))}-${fmt(Math.max(...s.latencies))}`.padStart(11)} ${
        s.p99s.map((p) => fmt(p, 1)).join(" ").padStart(27)
      } ${fmt(s.readyRss, 0).padStart(9)} ${fmt(rss, 0).padStart(6)} ${
        fmt(rss / s.readyRss, 2).padStart(5)
      }`,
    );
  }
  const floorP50 = quantile(floorLatencies, 0.5);
  console.log(
    `HTTP floor (reads the body, answers at once): batch p50 ${fmt(floorP50, 2)} ms, p90 ${
      fmt(quantile(floorLatencies, 0.9), 1)
    }, min-max ${fmt(Math.min(...floorLatencies))}-${fmt(Math.max(...floorLatencies))}`,
  );
  for (const { label } of checkouts) {
    for (const { kind, target } of bundles) {
      const on = find(label, kind, true);
      const off = find(label, kind, false);
      const p50 = quantile(on.latencies, 0.5);
      const rss = afterRss.get(on)! / on.readyRss;
      const p99 = ratios(on.p99s, off.p99s);
      console.log(
        `${`${label} ${kind}`.trim()}: batch p50 log on ${fmt(p50, 2)} ms (target < ${target}: ${
          p50 < target ? "ok" : "MISSED"
        }; ${fmt(p50 - floorP50, 2)} over the floor), on/off ${
          spread(ratios(on.latencies, off.latencies))
        }; RSS after/ready log on ` +
          `${fmt(rss, 2)} (target <= 1.5: ${rss <= 1.5 ? "ok" : "MISSED"}), log off ${
            fmt(afterRss.get(off)! / off.readyRss, 2)
          }; load p99 on/off ${spread(p99)} (target <= 1.3: ${
            quantile(p99, 0.5) <= 1.3 ? "ok" : "MISSED"
          })`,
      );
    }
  }
  if (values.baseline) {
    for (const { kind } of bundles) {
      for (const log of [true, false]) {
        const now = find("this", kind, log);
        const then = find("base", kind, log);
        console.log(
          `this / base, ${kind} log ${log ? "on" : "off"}: batch latency by round ${
            spread(ratios(now.latencies, then.latencies))
          }, load p99 by segment ${spread(ratios(now.p99s, then.p99s))}, RSS after ${
            fmt(afterRss.get(now)! / afterRss.get(then)!, 2)
          }`,
        );
      }
    }
  }
} finally {
  await floor?.stop();
  for (const s of servers) await s.server.stop();
  await Deno.remove(scratch, { recursive: true });
}

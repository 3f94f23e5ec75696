/**
 * What hostile request bodies cost the prediction server: for each body of
 * tests/support/hostile_bodies.ts, how long the instance is held (from the last byte of
 * the request sent to the first byte of the answer), how fast `/health` answers
 * meanwhile, and the server's peak resident memory (VmHWM, reset before each request),
 * interleaved with a normal single-row `/predict` baseline measured the same way just
 * before and after each body, with the ratio of the two.
 *
 * Usage: `deno run --frozen --allow-all bench/hostile_inputs.ts [--repeats 3]
 * [--baseline 30] [--timeout 30] [--only <name part>] [--shared]`. Each body gets a fresh
 * server (V8 keeps the memory a body made it take, which would show in the next body's
 * peak) unless `--shared`. A request not answered within `--timeout` seconds is reported
 * as held at least that long and the instance is replaced; a body that holds it over 5 s
 * is not repeated. Runs from source with a synthetic ridge bundle of the full
 * 122-feature contract.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { memoryMiB, resetPeak } from "../tools/serve/process_memory.ts";
import { sourceCommand, type SpawnedServer, spawnServer } from "../tools/serve/spawn_server.ts";
import {
  hostileBodies,
  type HostileBody,
  normalRowBody,
  probeHealth,
  sendRaw,
} from "../tests/support/hostile_bodies.ts";
import { testBundle, writeBundle } from "../tests/support/test_bundle.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    repeats: { type: "string", default: "3" },
    baseline: { type: "string", default: "30" },
    timeout: { type: "string", default: "30" },
    only: { type: "string" },
    shared: { type: "boolean", default: false },
  },
  strict: true,
});
const repeats = Number(values.repeats);
const baselineRequests = Number(values.baseline);
const timeoutMs = Number(values.timeout) * 1000;
const NO_REPEAT_MS = 5000;

const bundle = await testBundle();
const scratch = await Deno.makeTempDir({ prefix: "hostile_bench_" });
const bundlePath = join(scratch, "bundle.json");
await writeBundle(bundlePath, bundle);
const normal: HostileBody = {
  name: "normal /predict",
  path: "/predict",
  body: normalRowBody(bundle),
  status: 200,
};

async function start(): Promise<SpawnedServer> {
  const server = await spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", bundlePath],
    ...["--prediction-log", join(scratch, "predictions.jsonl")],
  ], { cwd: scratch });
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${server.url}/ready`);
    await response.body?.cancel();
    if (response.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Warm-up: the JIT has compiled the request path before anything is timed.
  for (let i = 0; i < 300; i++) await sendRaw(server.port, normal, 5000);
  return server;
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

async function baseline(server: SpawnedServer): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < baselineRequests; i++) ms.push((await sendRaw(server.port, normal, 5000)).ms);
  return ms;
}

interface Row {
  readonly name: string;
  readonly status: string;
  readonly holdMs: number[];
  readonly healthMs: number[];
  readonly peakMiB: number[];
  readonly baselineMs: number;
  readonly timedOut: boolean;
}

const rows: Row[] = [];
let server = await start();
const idle = memoryMiB(server.process.pid);
try {
  for (const hostile of hostileBodies(bundle)) {
    if (values.only && !hostile.name.includes(values.only)) continue;
    if (!values.shared && rows.length > 0) {
      await server.stop();
      server = await start();
    }
    const before = await baseline(server);
    const holdMs: number[] = [];
    const healthMs: number[] = [];
    const peakMiB: number[] = [];
    const statuses = new Set<number>();
    let timedOut = false;
    for (let r = 0; r < repeats; r++) {
      const pid = server.process.pid;
      resetPeak(pid);
      let probes: Promise<number[]> = Promise.resolve([]);
      try {
        const answer = await sendRaw(server.port, hostile, timeoutMs, () => {
          probes = probeHealth(server.url);
        });
        statuses.add(answer.status);
        holdMs.push(answer.ms);
      } catch {
        timedOut = true;
        holdMs.push(timeoutMs);
      }
      healthMs.push(Math.min(...await probes));
      peakMiB.push(memoryMiB(pid).peak);
      if (timedOut) {
        await server.stop("SIGKILL");
        server = await start();
        break;
      }
      if (holdMs[r] > NO_REPEAT_MS) break;
    }
    const after = timedOut ? [] : await baseline(server);
    const row: Row = {
      name: hostile.name,
      status: timedOut ? "timeout" : [...statuses].join("/"),
      holdMs,
      healthMs,
      peakMiB,
      baselineMs: median([...before, ...after]),
      timedOut,
    };
    rows.push(row);
    console.error(`${row.name}: ${row.status}, ${median(holdMs).toFixed(1)} ms`);
  }
} finally {
  await server.stop();
  await Deno.remove(scratch, { recursive: true });
}

const fmt = (ms: number, timedOut = false) =>
  timedOut
    ? `>${(ms / 1000).toFixed(0)} s`
    : ms >= 1000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${ms.toFixed(1)} ms`;
console.log(
  `hostile bodies against deno run serve/main.ts (8 MiB body limit, 1000-row batches), ` +
    `${repeats} runs each (median; max), ${navigator.hardwareConcurrency} CPUs; ` +
    `idle RSS ${idle.rss.toFixed(0)} MiB`,
);
const header = [
  "body".padEnd(58),
  "status".padEnd(7),
  "held (median; max)".padStart(20),
  "/health".padStart(9),
  "peak RSS".padStart(9),
  "baseline".padStart(9),
  "ratio".padStart(8),
];
console.log(header.join(" "));
for (const row of rows) {
  const held = median(row.holdMs);
  console.log([
    row.name.slice(0, 58).padEnd(58),
    row.status.padEnd(7),
    `${fmt(held, row.timedOut)}; ${fmt(Math.max(...row.holdMs), row.timedOut)}`.padStart(20),
    (Number.isFinite(Math.min(...row.healthMs)) ? fmt(Math.min(...row.healthMs)) : "none")
      .padStart(9),
    `${Math.max(...row.peakMiB).toFixed(0)} MiB`.padStart(9),
    fmt(row.baselineMs).padStart(9),
    `${row.timedOut ? ">" : ""}${(held / row.baselineMs).toFixed(0)}x`.padStart(8),
  ].join(" "));
}
const worst = rows.reduce((a, b) => median(b.holdMs) > median(a.holdMs) ? b : a);
const heaviest = rows.reduce((a, b) => Math.max(...b.peakMiB) > Math.max(...a.peakMiB) ? b : a);
console.log(
  `worst hold: ${fmt(median(worst.holdMs), worst.timedOut)} (${worst.name}); ` +
    `highest peak RSS: ${Math.max(...heaviest.peakMiB).toFixed(0)} MiB (${heaviest.name})`,
);

/**
 * What prediction intervals cost the server: single-row `/predict` throughput under wrk
 * (32 connections), without `?interval` on this code against the same requests on a
 * server of earlier code (`--before`, a checkout without intervals), and with
 * `?interval=true` against without, runs interleaved so that the machine's noise falls
 * on both sides of each ratio. Prints each run, each ratio and the median ratios.
 *
 * Usage: `deno run -A bench/interval_cost.ts [--bundle <bundle.json>] [--before <dir>]
 * [--duration 5] [--repeats 5]`. `--before` is the root of a checkout of the earlier code
 * (e.g. `git archive <commit> | tar -x -C <dir>`, with `node_modules` linked in); it is
 * given the bundle without its `intervals` section, which that code does not know.
 * Without `--bundle`, `models/model_bundle.json` if it exists, else a synthetic one.
 * Needs `wrk` on PATH.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openBundle, sealBundle } from "../pipeline/bundle/bundle_io.ts";
import { sourceCommand, type SpawnedServer, spawnServer } from "../tools/serve/spawn_server.ts";
import { runWrk, writePostScript } from "../tools/serve/wrk.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    before: { type: "string" },
    duration: { type: "string", default: "5" },
    repeats: { type: "string", default: "5" },
  },
  strict: true,
});
const duration = Number(values.duration);
const scratch = await Deno.makeTempDir({ prefix: "interval_cost_" });
const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
if (!bundle.intervals) throw new Error(`${path} has no intervals section to measure`);
const { checksum: _, intervals: __, ...rest } = bundle;
const plainPath = join(scratch, "bundle_without_intervals.json");
await Deno.writeTextFile(plainPath, JSON.stringify(await sealBundle(rest)));

const args = (model: string, log: string) => [
  ...["--port", "0", "--model", model, "--workers", "1"],
  ...["--prediction-log", join(scratch, log)],
];
const servers: SpawnedServer[] = [];
const spawn = async (command: readonly string[], cwd?: string) => {
  const server = await spawnServer(command, { cwd });
  servers.push(server);
  return server;
};
try {
  const after = await spawn([...sourceCommand(), ...args(path, "after.jsonl")]);
  const before = values.before
    ? await spawn([
      ...sourceCommand().slice(0, -1),
      join(values.before, "serve/main.ts"),
      ...args(plainPath, "before.jsonl"),
    ], values.before)
    : undefined;
  const [row] = await dataRows(bundle.features.map((f) => f.name));
  const script = await writePostScript(scratch, JSON.stringify(row));
  const wrk = (url: string) =>
    runWrk(url, { script, connections: 32, seconds: duration, threads: 1 });
  const targets = {
    ...(before ? { before: `${before.url}/predict` } : {}),
    after: `${after.url}/predict`,
    "after ?interval=true": `${after.url}/predict?interval=true`,
  };
  for (const url of Object.values(targets)) await wrk(url); // warm-up: JIT, connections
  console.log(`bundle ${label}; /predict, 32 connections, ${duration} s per run, 1 worker`);
  const ratios: Record<string, number[]> = { "after / before": [], "interval / after": [] };
  for (let r = 0; r < Number(values.repeats); r++) {
    const rps: Record<string, number> = {};
    for (const [name, url] of Object.entries(targets)) {
      const result = await wrk(url);
      if (result.errors > 0) throw new Error(`${name}: ${result.errors} errors`);
      rps[name] = result.requestsPerSecond;
    }
    if (before) ratios["after / before"].push(rps.after / rps.before);
    ratios["interval / after"].push(rps["after ?interval=true"] / rps.after);
    console.log(
      `run ${r + 1}: ` +
        Object.entries(rps).map(([n, v]) => `${n} ${v.toFixed(0)} req/s`).join(", ") +
        "; ratios " +
        Object.entries(ratios).filter(([, v]) => v.length > 0)
          .map(([n, v]) => `${n} ${v[v.length - 1].toFixed(3)}`).join(", "),
    );
  }
  for (const [name, list] of Object.entries(ratios)) {
    if (list.length === 0) continue;
    const sorted = list.toSorted((a, b) => a - b);
    console.log(
      `median ${name}: ${sorted[sorted.length >> 1].toFixed(3)} ` +
        `(min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)})`,
    );
  }
} finally {
  for (const server of servers) await server.stop();
  await Deno.remove(scratch, { recursive: true });
}

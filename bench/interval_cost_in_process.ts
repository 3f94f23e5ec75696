/**
 * What prediction intervals cost a request, measured in-process (`app.request()`, no
 * sockets, so a loaded machine's scheduling noise weighs far less than under wrk): the
 * same single-row `/predict` (and 100-row `/predict/batch`) requests sent in turn to the
 * app of the earlier code (`--before`, a checkout without intervals), to this code's app
 * without `?interval`, and with `?interval=true`, in interleaved rounds. Prints each
 * round's requests per second, the ratios and their medians.
 *
 * Usage: `deno run -A bench/interval_cost_in_process.ts [--bundle <bundle.json>]
 * [--before <dir>] [--requests 2000] [--rounds 15]`. `--before` as in
 * `bench/interval_cost.ts`. Without `--bundle`, `models/model_bundle.json` if it exists,
 * else a synthetic one.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Hono } from "hono";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { harness } from "../tests/support/serve_harness.ts";
import { chooseBundle, dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    before: { type: "string" },
    requests: { type: "string", default: "2000" },
    rounds: { type: "string", default: "15" },
  },
  strict: true,
});
const scratch = await Deno.makeTempDir({ prefix: "interval_cost_" });
const { path, label } = await chooseBundle(scratch, values.bundle);
const bundle = await openBundle(await Deno.readTextFile(path), path);
if (!bundle.intervals) throw new Error(`${path} has no intervals section to measure`);
const { intervals: _, ...plain } = bundle;

// deno-lint-ignore no-explicit-any
type App = Hono<any>;
const apps: Record<string, App> = {};
if (values.before) {
  const module = await import(
    `file://${join(resolve(values.before), "tests/support/serve_harness.ts")}`
  );
  apps.before = (await module.harness(plain)).app;
}
apps.after = (await harness(bundle)).app;

const communities = await dataRows(bundle.features.map((f) => f.name));
const single = JSON.stringify(communities[0]);
const batch = JSON.stringify({ rows: communities.slice(0, 100) });
const requests = Number(values.requests);

async function rate(app: App, url: string, body: string, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const response = await app.request(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
  }
  return n / ((performance.now() - started) / 1000);
}

const cases = [
  { name: "/predict", url: "/predict", body: single, n: requests },
  { name: "/predict/batch (100 rows)", url: "/predict/batch", body: batch, n: requests / 20 },
];
console.log(`bundle ${label}; ${requests} single-row requests per measurement, in-process`);
for (const { name, url, body, n } of cases) {
  const variants = {
    ...(apps.before ? { before: () => rate(apps.before, url, body, n) } : {}),
    after: () => rate(apps.after, url, body, n),
    "after ?interval=true": () => rate(apps.after, `${url}?interval=true`, body, n),
  };
  for (const run of Object.values(variants)) await run(); // warm-up: JIT
  const ratios: Record<string, number[]> = { "after / before": [], "interval / after": [] };
  for (let r = 0; r < Number(values.rounds); r++) {
    const rps: Record<string, number> = {};
    for (const [variant, run] of Object.entries(variants)) rps[variant] = await run();
    if (apps.before) ratios["after / before"].push(rps.after / rps.before);
    ratios["interval / after"].push(rps["after ?interval=true"] / rps.after);
    console.log(
      `${name} round ${r + 1}: ` +
        Object.entries(rps).map(([v, x]) => `${v} ${x.toFixed(0)}/s`).join(", "),
    );
  }
  for (const [ratio, list] of Object.entries(ratios)) {
    if (list.length === 0) continue;
    const sorted = list.toSorted((a, b) => a - b);
    console.log(
      `${name}: median ${ratio} ${sorted[sorted.length >> 1].toFixed(3)} ` +
        `(min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)})`,
    );
  }
}
await Deno.remove(scratch, { recursive: true });

/**
 * Batch scoring (`serve/main.ts predict`) on large files made from the real rows of the
 * data set: rows per second and peak resident memory for 100k and 1M rows, in CSV and in
 * Parquet, each run in its own process. Memory that does not grow from 100k to 1M rows
 * is what streaming buys; the figures are printed, not asserted.
 *
 * Usage: `deno task bench:batch [--bundle models/model_bundle.json] [--sizes 100000,1000000]`.
 * The files are written to a temporary folder and removed afterwards.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import pl from "nodejs-polars";
import { parseCatalogue } from "../pipeline/data/catalogue.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string", default: "models/model_bundle.json" },
    sizes: { type: "string", default: "100000,1000000" },
    formats: { type: "string", default: "csv,parquet" },
  },
  strict: true,
});
const sizes = values.sizes!.split(",").map(Number);
const formats = values.formats!.split(",");
const names = parseCatalogue(await Deno.readTextFile("data/raw/communities.names"))
  .map((c) => c.name);
const real = (await Deno.readTextFile("data/raw/communities.data")).trim().split("\n");

/** A CSV of `rows` rows: the header, then the real rows over and over. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const writer = file.writable.getWriter();
  const encoder = new TextEncoder();
  await writer.write(encoder.encode(`${names.join(",")}\n`));
  for (let written = 0; written < rows;) {
    const n = Math.min(real.length, rows - written);
    await writer.write(encoder.encode(`${real.slice(0, n).join("\n")}\n`));
    written += n;
  }
  await writer.close();
}

/** The same rows as Parquet, numeric columns only (nodejs-polars picks the row groups). */
function writeParquet(csvPath: string, path: string): void {
  pl.readCSV(csvPath, { nullValues: ["?"], inferSchemaLength: 0 })
    .select(...names.filter((n) => n !== "communityname").map((n) => pl.col(n).cast(pl.Float64)))
    .writeParquet(path);
}

/** Runs predict on `input`, sampling the child's peak RSS (VmHWM) until it exits. */
async function run(input: string, output: string) {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "serve/main.ts",
      "predict",
      "--model",
      values.bundle!,
      "--input",
      input,
      "--output",
      output,
      "--progress",
      "off",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // Exited between samples.
    }
  }, 20);
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (!status.success) throw new Error(`predict failed (${status.code}): ${stderr}`);
  return { seconds, peakMiB: peakKb / 1024 };
}

const dir = await Deno.makeTempDir({ prefix: "batch_bench_" });
try {
  console.log(
    `bundle ${values.bundle}; each run is a fresh process (start-up and model load included)`,
  );
  console.log("format   rows       seconds   rows/s     peak RSS (MiB)");
  for (const rows of sizes) {
    const csvPath = join(dir, `rows_${rows}.csv`);
    await writeCsv(csvPath, rows);
    for (const format of formats) {
      const input = format === "csv" ? csvPath : join(dir, `rows_${rows}.parquet`);
      if (format === "parquet") writeParquet(csvPath, input);
      const { seconds, peakMiB } = await run(input, join(dir, "out.csv"));
      console.log(
        `${format.padEnd(8)} ${String(rows).padEnd(10)} ${seconds.toFixed(1).padEnd(9)} ` +
          `${String(Math.round(rows / seconds)).padEnd(10)} ${peakMiB.toFixed(0)}`,
      );
      if (format === "parquet") await Deno.remove(input);
    }
    await Deno.remove(csvPath);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

/**
 * Where a 1000-row `/predict/batch` body's time goes inside the server, stage by stage,
 * for the two paths a body can take, interleaved request by request: the byte reader
 * (`serve/contract/batch_reader.ts`: parse, check, pack and row spans in one pass) and
 * the general path (scan and `JSON.parse`, the row packer, the row spans), each followed
 * by the model and the prediction log's lines (written to a sink that keeps nothing; the
 * general path's lines are looked through for line breaks, as when nobody says there are
 * none). Process CPU time per stage, median and IQR over `--rounds`, and the ratio of the
 * two paths' totals. The HTTP figures are in `bench/serve_batch_latency.ts`.
 *
 * Usage: `deno run -A bench/serve_batch_in_process.ts [--bundle models/model_bundle.json]
 * [--rounds 60]`.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { parseJsonBody } from "../serve/contract/read_json.ts";
import { rowSpans } from "../serve/contract/row_spans.ts";
import { fileSource } from "../serve/model/model_source_file.ts";
import { createServedModel } from "../serve/model/served_model.ts";
import { type PredictionEntry, PredictionLog } from "../serve/telemetry/prediction_log.ts";
import { dataRows } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string", default: "models/model_bundle.json" },
    rounds: { type: "string", default: "60" },
  },
  strict: true,
});
const fetched = await fileSource(values.bundle).fetch();
if (!fetched) throw new Error(`${values.bundle}: no bundle`);
const model = createServedModel(fetched, { maxBatchRows: 1000 });
const width = model.featureCount;
const rows = (await dataRows(model.bundle.features.map((f) => f.name))).slice(0, 1000);
const body = new TextEncoder().encode(JSON.stringify({ rows }));
const shape = { kind: "batch" as const, maxFields: width + 100, maxRows: 1000 };
const sink = { write: () => Promise.resolve(), close: () => Promise.resolve() };
const log = new PredictionLog(sink, { bufferBytes: 4 << 20 });
const entry = {
  time: Date.now(),
  requestId: "0190b8a4-6f1e-7c3a-9b2d-5e8f0a1b2c3d",
  modelName: model.identity.name,
  modelVersion: model.identity.version,
  latencyMs: 1.234,
};

const cpuMs = () => {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
};
const times = new Map<string, number[]>();
let last = 0;
const start = () => (last = cpuMs());
const lap = (stage: string) => {
  const now = cpuMs();
  times.set(stage, [...(times.get(stage) ?? []), now - last]);
  last = now;
};
const logged = async (e: PredictionEntry) => {
  log.record(e);
  await log.flush();
};

for (let round = -10; round < Number(values.rounds); round++) {
  start();
  const fast = model.readBatch(body);
  if (!fast) throw new Error("the byte reader declined the data set's rows");
  lap("bytes: read (parse, check, pack, spans)");
  const y = model.predict(fast.x, fast.rows);
  lap("bytes: model");
  await logged({
    ...entry,
    inputJson: body,
    inputSpans: fast.spans,
    inputLineBreaks: fast.lineBreaks,
    predictions: y,
  });
  lap("bytes: log lines");

  start();
  const parsed = parseJsonBody(body, shape);
  if (!parsed.ok) throw new Error("the general path refused the data set's rows");
  const parsedRows = (parsed.value as { rows: unknown[] }).rows;
  lap("general: scan + JSON.parse");
  const x = new Float64Array(parsedRows.length * width);
  parsedRows.forEach((row, i) => model.packRow(row, x, i * width));
  const spans = rowSpans(body, parsedRows.length);
  lap("general: pack + spans");
  const y2 = model.predict(x, parsedRows.length);
  lap("general: model");
  await logged({
    ...entry,
    inputs: parsedRows,
    inputJson: body,
    inputSpans: spans,
    predictions: y2,
  });
  lap("general: log lines");
  if (round < 0) times.clear();
}

const quantile = (xs: readonly number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const total = (prefix: string) =>
  Array.from(
    { length: Number(values.rounds) },
    (_, i) =>
      [...times].filter(([stage]) => stage.startsWith(prefix)).reduce((s, [, t]) => s + t[i], 0),
  );
console.log(
  `in-process 1000-row batch, ${model.bundle.family} bundle ${values.bundle}: CPU ms, ` +
    `${values.rounds} interleaved rounds`,
);
for (const [stage, t] of times) {
  console.log(
    `${stage.padEnd(40)} ${quantile(t, 0.5).toFixed(2).padStart(6)} (IQR ${
      quantile(t, 0.25).toFixed(2)
    }-${quantile(t, 0.75).toFixed(2)})`,
  );
}
const bytes = total("bytes:");
const general = total("general:");
const ratio = bytes.map((b, i) => b / general[i]);
console.log(
  `total: bytes ${quantile(bytes, 0.5).toFixed(2)}, general ${
    quantile(general, 0.5).toFixed(2)
  }; bytes / general ${quantile(ratio, 0.5).toFixed(2)} (IQR ${quantile(ratio, 0.25).toFixed(2)}-${
    quantile(ratio, 0.75).toFixed(2)
  })`,
);

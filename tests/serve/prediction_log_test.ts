import assert from "node:assert/strict";
import { join } from "node:path";
import { type PredictionEntry, PredictionLog } from "../../serve/prediction_log.ts";
import { RotatingFile, type TextSink } from "../../serve/rotating_file.ts";

function entry(rows: number, id = "r1"): PredictionEntry {
  return {
    time: Date.UTC(2024, 0, 1),
    requestId: id,
    modelName: "m",
    modelVersion: "3",
    inputs: Array.from({ length: rows }, (_, i) => ({ a: i / 10 })),
    predictions: Float64Array.from({ length: rows }, (_, i) => i / 100),
    latencyMs: 1.5,
  };
}

/** A sink that records writes and can be held back, like a slow disk. */
class SlowSink implements TextSink {
  readonly writes: string[] = [];
  release: () => void = () => {};
  #gate = Promise.resolve();
  hold(): void {
    this.#gate = new Promise((resolve) => this.release = resolve);
  }
  async write(text: string): Promise<void> {
    await this.#gate;
    this.writes.push(text);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("entries become one JSON line per row, written after the request returns", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { capacity: 100 });
  log.record(entry(1, "single"));
  log.record(entry(2, "batch"));
  assert.equal(sink.writes.length, 0, "nothing is written synchronously");
  await log.close();
  const lines = sink.writes.join("").trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], {
    time: "2024-01-01T00:00:00.000Z",
    requestId: "single",
    modelName: "m",
    modelVersion: "3",
    row: 0,
    inputs: { a: 0 },
    prediction: 0,
    latencyMs: 1.5,
  });
  assert.deepEqual(lines.slice(1).map((l) => [l.requestId, l.row, l.prediction]), [
    ["batch", 0, 0],
    ["batch", 1, 0.01],
  ]);
});

Deno.test("a single row's request text is logged as received", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { capacity: 10 });
  log.record({ ...entry(1), inputText: '{"a":0.10}' });
  await log.close();
  assert.match(sink.writes.join(""), /"row":0,"inputs":\{"a":0.10\},"prediction":0,/);
});

Deno.test("a full queue drops and counts entries without blocking", async () => {
  const sink = new SlowSink();
  sink.hold();
  const dropped: number[] = [];
  const log = new PredictionLog(sink, { capacity: 10, chunkRows: 4, onDrop: (n) => dropped.push(n) });
  log.record(entry(6));
  log.record(entry(5)); // 11 rows would not fit
  log.record(entry(4));
  assert.deepEqual(dropped, [5]);
  assert.equal(log.pending, 10);
  log.record(entry(1));
  assert.equal(log.dropped, 6);
  sink.release();
  await log.close();
  assert.equal(sink.writes.join("").trimEnd().split("\n").length, 10);
  assert.ok(sink.writes.every((w) => w.split("\n").length <= 5), "chunks of at most 4 rows");
  log.record(entry(1));
  assert.equal(log.dropped, 7, "a closed log drops");
});

Deno.test("a failed write is reported and its rows counted as dropped", async () => {
  const errors: unknown[] = [];
  const failing: TextSink = { write: () => Promise.reject(new Error("disk full")), close: () => Promise.resolve() };
  const log = new PredictionLog(failing, { capacity: 10, onError: (e) => errors.push(e) });
  log.record(entry(3));
  await log.close();
  assert.equal(log.dropped, 3);
  assert.match(String(errors[0]), /disk full/);
});

Deno.test("the log file rotates by size and keeps the configured number of files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "logs", "predictions.jsonl");
    const file = await RotatingFile.open(path, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 7; i++) await file.write(`${String(i).repeat(59)}\n`);
    await file.close();
    const names = (await Array.fromAsync(Deno.readDir(join(dir, "logs")))).map((e) => e.name).sort();
    assert.deepEqual(names, ["predictions.jsonl", "predictions.jsonl.1", "predictions.jsonl.2"]);
    assert.equal((await Deno.readTextFile(path))[0], "6");
    assert.equal((await Deno.readTextFile(`${path}.1`))[0], "5");
    assert.equal((await Deno.readTextFile(`${path}.2`))[0], "4");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reopening appends to the existing file and counts its size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.jsonl");
    const first = await RotatingFile.open(path, { maxBytes: 100, keep: 1 });
    await first.write("a".repeat(80));
    await first.close();
    const second = await RotatingFile.open(path, { maxBytes: 100, keep: 1 });
    await second.write("b".repeat(30));
    await second.close();
    assert.equal(await Deno.readTextFile(`${path}.1`), "a".repeat(80));
    assert.equal(await Deno.readTextFile(path), "b".repeat(30));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

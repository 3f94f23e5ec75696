import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type ByteSink,
  type PredictionEntry,
  PredictionLog,
} from "../../../serve/telemetry/prediction_log.ts";
import { jsonLogger, type Logger } from "../../../serve/telemetry/logger.ts";
import { RotatingFile, type RotationOptions } from "../../../serve/telemetry/rotating_file.ts";
import { rowSpans } from "../../../serve/contract/row_spans.ts";

function entry(rows: number, id = "r1", single = false): PredictionEntry {
  const inputs = Array.from({ length: rows }, (_, i) => ({ a: i / 10 }));
  return {
    time: Date.UTC(2024, 0, 1),
    requestId: id,
    modelName: "m",
    modelVersion: "3",
    inputs,
    inputJson: single ? new TextEncoder().encode(JSON.stringify(inputs[0])) : undefined,
    predictions: Float64Array.from({ length: rows }, (_, i) => i / 100),
    latencyMs: 1.5,
  };
}

/** A sink that records writes and can be held back, like a slow disk. */
class SlowSink implements ByteSink {
  readonly writes: string[] = [];
  release: () => void = () => {};
  #gate = Promise.resolve();
  hold(): void {
    this.#gate = new Promise((resolve) => this.release = resolve);
  }
  async write(bytes: Uint8Array): Promise<void> {
    const text = new TextDecoder().decode(bytes);
    await this.#gate;
    this.writes.push(text);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  lines(): Record<string, unknown>[] {
    return this.writes.join("").trimEnd().split("\n").map((l) => JSON.parse(l));
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

const LINE_BYTES = 160; // about one line of entry() above

Deno.test("rows become JSON lines, written later and together", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 4096, flushIntervalMs: 20 });
  log.record(entry(1, "single", true));
  log.record(entry(2, "batch"));
  assert.equal(sink.writes.length, 0, "nothing is written synchronously");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(sink.writes.length, 1, "one write for everything gathered in the interval");
  assert.deepEqual(sink.lines()[0], {
    time: "2024-01-01T00:00:00.000Z",
    requestId: "single",
    modelName: "m",
    modelVersion: "3",
    row: 0,
    inputs: { a: 0 },
    prediction: 0,
    latencyMs: 1.5,
  });
  assert.deepEqual(sink.lines().slice(1).map((l) => [l.requestId, l.row, l.prediction]), [
    ["batch", 0, 0],
    ["batch", 1, 0.01],
  ]);
  await log.close();
});

Deno.test("a single row's request bytes are logged as received", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 4096 });
  log.record({ ...entry(1), inputJson: new TextEncoder().encode('{"a":0.10}') });
  await log.close();
  assert.match(sink.writes.join(""), /"row":0,"inputs":\{"a":0.10\},"prediction":0,/);
});

Deno.test("a batch's rows are copied from the request bytes when their spans are given", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 4096, chunkRows: 1 });
  const body = '{"rows":[{"a":0.10},\n{"a":0.20,\r\n"b":null}]}';
  log.record({
    ...entry(2, "batch"),
    inputJson: new TextEncoder().encode(body),
    inputSpans: Int32Array.from([9, 19, 21, 42]),
  });
  await log.close();
  const text = sink.writes.join("");
  // As sent: 0.10 stays 0.10, which serialising the parsed row again would write as 0.1.
  assert.match(text, /"row":0,"inputs":\{"a":0.10\},/);
  const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.inputs), [{ a: 0.1 }, { a: 0.2, b: null }]);
});

Deno.test("line breaks in a row's JSON become spaces: one line per row", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 4096 });
  const pretty = '{\r\n  "a": 0.1,\n  "b": "x"\r\n}';
  const json = new TextEncoder().encode(pretty);
  log.record({ ...entry(1, "pretty"), inputJson: json });
  log.record({ ...entry(1, "next"), inputJson: new TextEncoder().encode('{"a":0.2}') });
  await log.close();
  const lines = sink.writes.join("").trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[0]).inputs, { a: 0.1, b: "x" });
  assert.equal(JSON.parse(lines[1]).requestId, "next");
  // The caller's bytes are left as they were.
  assert.equal(new TextDecoder().decode(json), pretty);
});

Deno.test("a row that does not fit leaves no partial line behind", async () => {
  const sink = new SlowSink();
  sink.hold();
  const dropped: number[] = [];
  const log = new PredictionLog(sink, { bufferBytes: 300, onDrop: (n) => dropped.push(n) });
  const big = new TextEncoder().encode(JSON.stringify({ a: "x".repeat(400) }));
  log.record({ ...entry(1, "small"), inputJson: new TextEncoder().encode('{"a":0.1}') });
  log.record({ ...entry(1, "big"), inputJson: big });
  sink.release();
  await log.close();
  assert.deepEqual(dropped, [1]);
  const lines = sink.writes.join("").trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.requestId), ["small"]);
});

Deno.test("a full buffer is swapped for the free one; with both full, rows are dropped and counted", async () => {
  const sink = new SlowSink();
  sink.hold();
  const dropped: number[] = [];
  const log = new PredictionLog(sink, {
    bufferBytes: 3 * LINE_BYTES,
    onDrop: (n) => dropped.push(n),
  });
  for (let i = 0; i < 12; i++) log.record(entry(1, `r${i}`, true));
  // Two or three lines fit a buffer: one buffer is being written, the other is full.
  assert.ok(log.dropped >= 6 && log.dropped <= 8, `${log.dropped} dropped`);
  assert.equal(dropped.reduce((a, b) => a + b, 0), log.dropped);
  sink.release();
  await log.close();
  const written = sink.lines().length;
  assert.equal(written, 12 - log.dropped);
  const droppedBefore = log.dropped;
  log.record(entry(1, "late", true));
  assert.equal(log.dropped, droppedBefore + 1, "a closed log drops");
  assert.equal(sink.lines().length, written);
});

Deno.test("batch rows are serialised in chunks after the request returns", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 1 << 20, chunkRows: 10 });
  log.record(entry(35, "big"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  await log.close();
  assert.deepEqual(sink.lines().map((l) => l.row), Array.from({ length: 35 }, (_, i) => i));
});

Deno.test("batches waiting for their lines are bounded: one past both buffers is dropped", async () => {
  const sink = new SlowSink();
  const rows = Array.from({ length: 100 }, () => ({ a: "x".repeat(400) }));
  const body = bytes(JSON.stringify({ rows }));
  const batch = {
    ...entry(100),
    inputs: undefined,
    inputJson: body,
    inputSpans: rowSpans(body, 100),
  };
  // About 41 KB each: three fit the bound of both buffers (128 KB), the fourth is dropped.
  const log = new PredictionLog(sink, { bufferBytes: 64 * 1024 });
  for (let i = 0; i < 4; i++) log.record({ ...batch, requestId: `b${i}` });
  assert.equal(log.dropped, 100);
  await log.close();
  const lines = sink.lines();
  assert.deepEqual([...new Set(lines.map((l) => l.requestId))], ["b0", "b1", "b2"]);
  assert.deepEqual(lines[0].inputs, rows[0]);
  // A queue that is written as fast as it fills drops nothing.
  const paced = new PredictionLog(sink, { bufferBytes: 64 * 1024 });
  for (let i = 0; i < 4; i++) {
    paced.record({ ...batch, requestId: `c${i}` });
    await paced.flush();
  }
  assert.equal(paced.dropped, 0);
  await paced.close();
});

Deno.test("rows known to hold no line break are copied without a look", async () => {
  const sink = new SlowSink();
  const log = new PredictionLog(sink, { bufferBytes: 4096 });
  const body = '{"rows":[{"a":0.10},{"a":0.20}]}';
  log.record({
    ...entry(2, "compact"),
    inputs: undefined,
    inputJson: bytes(body),
    inputSpans: Int32Array.from([9, 19, 20, 30]),
    inputLineBreaks: false,
  });
  await log.close();
  assert.deepEqual(sink.lines().map((l) => [l.row, l.inputs, l.prediction]), [
    [0, { a: 0.1 }, 0],
    [1, { a: 0.2 }, 0.01],
  ]);
});

Deno.test("a failed write is reported and its rows counted as dropped", async () => {
  const errors: unknown[] = [];
  const failing: ByteSink = {
    write: () => Promise.reject(new Error("disk full")),
    close: () => Promise.resolve(),
  };
  const log = new PredictionLog(failing, { bufferBytes: 4096, onError: (e) => errors.push(e) });
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
    for (let i = 0; i < 7; i++) await file.write(bytes(`${String(i).repeat(59)}\n`));
    await file.close();
    const names = (await Array.fromAsync(Deno.readDir(join(dir, "logs")))).map((e) => e.name)
      .sort();
    assert.deepEqual(names, ["predictions.jsonl", "predictions.jsonl.1", "predictions.jsonl.2"]);
    assert.equal((await Deno.readTextFile(path))[0], "6");
    assert.equal((await Deno.readTextFile(`${path}.1`))[0], "5");
    assert.equal((await Deno.readTextFile(`${path}.2`))[0], "4");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with keep 0 a rotation starts the file afresh and keeps no old one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.jsonl");
    const file = await RotatingFile.open(path, { maxBytes: 100, keep: 0 });
    await file.write(bytes("a".repeat(80)));
    await file.write(bytes("b".repeat(30)));
    await file.close();
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["p.jsonl"]);
    assert.equal(await Deno.readTextFile(path), "b".repeat(30));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reopening appends to the existing file and counts its size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.jsonl");
    const first = await RotatingFile.open(path, { maxBytes: 100, keep: 1 });
    await first.write(bytes(`${"a".repeat(79)}\n`));
    await first.close();
    const second = await RotatingFile.open(path, { maxBytes: 100, keep: 1 });
    await second.write(bytes(`${"b".repeat(29)}\n`));
    await second.close();
    assert.equal(await Deno.readTextFile(`${path}.1`), `${"a".repeat(79)}\n`);
    assert.equal(await Deno.readTextFile(path), `${"b".repeat(29)}\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A logger that keeps its lines, to see the warnings a component writes. */
function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: jsonLogger("debug", (line) => lines.push(JSON.parse(line))), lines };
}

Deno.test("a partial last line left by a crash is cut off on open, so every line parses", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.jsonl");
    // What a SIGKILL in the middle of a write leaves: whole lines, then part of one.
    const whole = '{"requestId":"a","row":0}\n{"requestId":"b","row":0}\n';
    const torn = '{"time":"2024-01-01T00:00:00.000Z","requestId":"torn","mod';
    await Deno.writeTextFile(path, whole + torn);
    const { logger, lines } = recordingLogger();
    // Passed as a variable: the options object also carries the logger.
    const options = { maxBytes: 1 << 20, keep: 1, logger };
    const dropped: number[] = [];
    const log = new PredictionLog(await RotatingFile.open(path, options), {
      bufferBytes: 4096,
      onDrop: (rows) => dropped.push(rows),
    });
    log.record(entry(1, "after", true));
    await log.close();

    const text = await Deno.readTextFile(path);
    assert.ok(text.endsWith("\n"));
    const parsed = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(parsed.map((l) => l.requestId), ["a", "b", "after"]);
    assert.ok(text.startsWith(whole), "the whole lines are kept as they were");
    const warning = lines.find((l) => l.level === "warn");
    assert.equal(warning?.path, path);
    assert.equal(warning?.bytes, new TextEncoder().encode(torn).length);
    assert.deepEqual(dropped, [1], "the torn row counts as dropped");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file that is one partial line is emptied; a whole file is left alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { logger, lines } = recordingLogger();
    const torn = join(dir, "torn.jsonl");
    await Deno.writeTextFile(torn, '{"requestId":"x","ro');
    await (await RotatingFile.open(torn, { maxBytes: 100, keep: 1, logger } as RotationOptions))
      .close();
    assert.equal(await Deno.readTextFile(torn), "");

    const whole = join(dir, "whole.jsonl");
    await Deno.writeTextFile(whole, '{"requestId":"x"}\n');
    const file = await RotatingFile.open(
      whole,
      { maxBytes: 100, keep: 1, logger } as RotationOptions,
    );
    await file.write(bytes('{"requestId":"y"}\n'));
    await file.close();
    assert.equal(await Deno.readTextFile(whole), '{"requestId":"x"}\n{"requestId":"y"}\n');
    assert.deepEqual(lines.map((l) => [l.level, l.path, l.bytes]), [["warn", torn, 20]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a torn tail longer than one read block is found and cut", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "p.jsonl");
    const whole = `{"requestId":"a","inputs":"${"x".repeat(100_000)}"}\n`;
    const torn = `{"requestId":"b","inputs":"${"y".repeat(200_000)}`;
    await Deno.writeTextFile(path, whole + torn);
    const { logger } = recordingLogger();
    const file = await RotatingFile.open(
      path,
      { maxBytes: 1 << 20, keep: 1, logger } as RotationOptions,
    );
    await file.close();
    const text = await Deno.readTextFile(path);
    assert.ok(text === whole, `${text.length} characters left, not ${whole.length}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

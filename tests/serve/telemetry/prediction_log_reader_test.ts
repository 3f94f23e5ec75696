import assert from "node:assert/strict";
import { join } from "node:path";
import { PredictionLog } from "../../../serve/telemetry/prediction_log.ts";
import { logFiles, readPredictionLog } from "../../../serve/telemetry/prediction_log_reader.ts";
import { RotatingFile } from "../../../serve/telemetry/rotating_file.ts";

const dir = await Deno.makeTempDir({ prefix: "prediction_log_reader_" });

Deno.test("the reader yields the rows the log wrote", async () => {
  const path = join(dir, "written.jsonl");
  const log = new PredictionLog(await RotatingFile.open(path, { maxBytes: 1 << 20, keep: 0 }), {
    bufferBytes: 1 << 16,
  });
  log.record({
    time: Date.UTC(2024, 0, 1),
    requestId: "r1",
    modelName: "m",
    modelVersion: "3",
    inputs: [{ a: 0.1 }, { a: 0.2 }],
    predictions: [0.25, 0.5],
    latencyMs: 1.5,
  });
  await log.close();
  const reader = readPredictionLog(path);
  const rows = await Array.fromAsync(reader);
  assert.deepEqual(rows.map((r) => [r.requestId, r.row, r.inputs, r.prediction]), [
    ["r1", 0, { a: 0.1 }, 0.25],
    ["r1", 1, { a: 0.2 }, 0.5],
  ]);
  assert.equal(rows[0].time, "2024-01-01T00:00:00.000Z");
  assert.deepEqual([reader.rows, reader.invalidLines, reader.partialLineBytes], [2, 0, 0]);
});

Deno.test("a partial last line is counted, not yielded and not an error", async () => {
  const path = join(dir, "torn.jsonl");
  const torn = '{"requestId":"b","ro';
  await Deno.writeTextFile(path, `{"requestId":"a","row":0}\n${torn}`);
  const reader = readPredictionLog(path);
  assert.deepEqual((await Array.fromAsync(reader)).map((r) => r.requestId), ["a"]);
  assert.equal(reader.partialLineBytes, torn.length);
  assert.equal(reader.invalidLines, 0);
});

Deno.test("an invalid whole line is skipped and counted; blank lines are ignored", async () => {
  const path = join(dir, "invalid.jsonl");
  // What the server before the crash-safe open left: a torn line with the next appended.
  await Deno.writeTextFile(
    path,
    '{"requestId":"a"}\n{"requestId":"to{"requestId":"c"}\n\n[1]\n{"requestId":"d"}\n',
  );
  const reader = readPredictionLog(path);
  assert.deepEqual((await Array.fromAsync(reader)).map((r) => r.requestId), ["a", "d"]);
  assert.deepEqual([reader.rows, reader.invalidLines, reader.partialLineBytes], [2, 2, 0]);
});

Deno.test("lines longer than a read, and characters split between reads, come out whole", async () => {
  const path = join(dir, "long.jsonl");
  const long = "é".repeat(100_000); // two bytes each: reads end inside characters
  await Deno.writeTextFile(path, `{"requestId":"${long}"}\n{"requestId":"x"}\n`);
  const rows = await Array.fromAsync(readPredictionLog(path));
  assert.equal(rows.length, 2);
  assert.ok(rows[0].requestId === long);
  assert.equal(rows[1].requestId, "x");
});

Deno.test("an empty or missing file", async () => {
  const path = join(dir, "empty.jsonl");
  await Deno.writeTextFile(path, "");
  assert.deepEqual(await Array.fromAsync(readPredictionLog(path)), []);
  await assert.rejects(Array.fromAsync(readPredictionLog(join(dir, "none"))), Deno.errors.NotFound);
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});

Deno.test("logFiles lists the rotated files oldest first, then the current one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const name of ["p.jsonl", "p.jsonl.2", "p.jsonl.10", "p.jsonl.1", "p.jsonl.bak", "other"]
    ) {
      await Deno.writeTextFile(join(dir, name), "");
    }
    assert.deepEqual(
      (await logFiles(join(dir, "p.jsonl"))).map((f) => f.slice(dir.length + 1)),
      ["p.jsonl.10", "p.jsonl.2", "p.jsonl.1", "p.jsonl"],
    );
    assert.deepEqual(await logFiles(join(dir, "missing", "p.jsonl")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

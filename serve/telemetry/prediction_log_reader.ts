/**
 * Reads a prediction log (`--prediction-log`, written by `prediction_log.ts`) back as
 * rows, for monitoring and drift analysis. It tolerates what a crash or a live server
 * leaves at the end of the file: a last line without its line break is still being
 * written, or was torn by a kill, and is counted rather than parsed. Whole lines that are
 * not JSON objects (a log written before the server cut torn lines off on open) are
 * skipped and counted too, so one bad line never stops an analysis.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** One predicted row, as the server logs it. */
export interface PredictionLogRow {
  /** ISO 8601 time of the request. */
  readonly time: string;
  readonly requestId: string;
  readonly modelName: string;
  readonly modelVersion: string;
  /** The row's index in its request: 0 for `/predict`, its position for a batch. */
  readonly row: number;
  /** The row's features as received. */
  readonly inputs: Record<string, number | null>;
  readonly prediction: number;
  readonly latencyMs: number;
}

const LF = 10;
const CR = 13;

/**
 * One pass over a prediction log: iterate it for the rows; once the iteration is done,
 * the counts say what was read and what was not.
 */
export class PredictionLogReader implements AsyncIterable<PredictionLogRow> {
  readonly path: string;
  /** Rows yielded so far. */
  rows = 0;
  /** Whole lines skipped because they are not a JSON object. */
  invalidLines = 0;
  /**
   * Bytes after the last line break (0 when the file ends with one): a line a live
   * server is still writing, or one a crash tore.
   */
  partialLineBytes = 0;
  readonly #chunkBytes: number;

  /** Reads `path`, `chunkBytes` at a time. */
  constructor(path: string, chunkBytes = 1 << 20) {
    this.path = path;
    this.#chunkBytes = chunkBytes;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<PredictionLogRow> {
    const decoder = new TextDecoder();
    using file = await Deno.open(this.path, { read: true });
    let rest = new Uint8Array(0);
    const chunk = new Uint8Array(this.#chunkBytes);
    for (let n = await file.read(chunk); n !== null; n = await file.read(chunk)) {
      const bytes = concat(rest, chunk.subarray(0, n));
      let start = 0;
      for (let lf = bytes.indexOf(LF); lf >= 0; lf = bytes.indexOf(LF, start)) {
        const row = this.#parse(decoder.decode(bytes.subarray(start, trimCr(bytes, start, lf))));
        start = lf + 1;
        if (row) yield row;
      }
      rest = bytes.slice(start);
    }
    this.partialLineBytes = rest.length;
  }

  #parse(line: string): PredictionLogRow | undefined {
    if (line.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.invalidLines++;
      return undefined;
    }
    this.rows++;
    return value as PredictionLogRow;
  }
}

/**
 * Reads the prediction log at `path` (one file: the current one, or a rotated `.1`,
 * `.2`...), yielding its rows in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPredictionLog } from "./prediction_log_reader.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(
 *   path,
 *   '{"requestId":"a","row":0,"prediction":0.21}\n{"requestId":"b","row":0,"predi',
 * );
 * const log = readPredictionLog(path);
 * const rows = [];
 * for await (const row of log) rows.push([row.requestId, row.prediction]);
 * assert.deepEqual(rows, [["a", 0.21]]);
 * assert.equal(log.rows, 1);
 * assert.equal(log.partialLineBytes, 31); // the torn last line is counted
 * await Deno.remove(path);
 * ```
 */
export function readPredictionLog(path: string): PredictionLogReader {
  return new PredictionLogReader(path);
}

/**
 * The files of the log at `path` that exist, oldest first: the rotated `path.N` ...
 * `path.1`, then `path` itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { logFiles } from "./prediction_log_reader.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = join(dir, "predictions.jsonl");
 * for (const name of ["predictions.jsonl", "predictions.jsonl.1", "predictions.jsonl.2"]) {
 *   await Deno.writeTextFile(join(dir, name), "");
 * }
 * assert.deepEqual(await logFiles(path), [`${path}.2`, `${path}.1`, path]); // oldest first
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function logFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const name = basename(path);
  const generations: { file: string; generation: number }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      if (entry.name === name) generations.push({ file: join(dir, name), generation: 0 });
      const rotated = entry.name.startsWith(`${name}.`) &&
        /^\d+$/.exec(entry.name.slice(name.length + 1));
      if (rotated) {
        generations.push({ file: join(dir, entry.name), generation: Number(rotated[0]) });
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return generations.sort((a, b) => b.generation - a.generation).map((g) => g.file);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The end of the line `[start, lf)` without a carriage return before its line feed. */
function trimCr(bytes: Uint8Array, start: number, lf: number): number {
  return lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
}

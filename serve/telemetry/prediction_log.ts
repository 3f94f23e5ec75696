/**
 * The prediction log: one JSON line per predicted row (request id, time, model version,
 * inputs, prediction, latency), for auditing and drift analysis.
 *
 * Requests never wait for the disk. Lines go into one of two fixed-size byte buffers
 * while the other is being written; when both are full, lines are dropped and counted.
 * A single row's line is written at once, around a copy of the request's own body bytes:
 * nothing of the request outlives it on the JS heap (retained request strings were
 * measured to double garbage-collection pauses), and the row is neither serialised nor
 * encoded again. A batch's lines are written just after the response, in small chunks
 * so that no request waits behind a large batch, each around its row's part of the body
 * bytes (or the row serialised again when the caller gives no spans); the parts of a
 * line that are the same for every row of a batch are encoded once. Batches waiting to
 * be written are bounded too: one that would take the queue past the size of both
 * buffers is dropped and counted, so a load faster than the log cannot hold request
 * bodies without limit.
 *
 * Across crashes every line stays valid JSON: each line goes to the sink together with
 * its line break, and the file sink cuts off a partial last line a killed process left
 * before appending to it (`rotating_file.ts`). Rows still in the buffers when the process
 * is killed are lost; a clean stop ({@linkcode PredictionLog.close}) writes them.
 * `prediction_log_reader.ts` reads the lines back.
 *
 * @module
 */

/** What one request predicted; a batch is one entry with many rows. */
export interface PredictionEntry {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly requestId: string;
  readonly modelName: string;
  readonly modelVersion: string;
  /**
   * The validated input rows, as parsed: serialised again for the lines when there is
   * no `inputJson`, and not read otherwise (a batch read from its bytes has none).
   */
  readonly inputs?: readonly unknown[];
  /**
   * The request body's UTF-8 JSON, copied into the lines as is (line breaks, only
   * whitespace in valid JSON, become spaces): the whole of it for a single row, or the
   * parts given by `inputSpans` for a batch. Without it, rows are serialised again.
   */
  readonly inputJson?: Uint8Array;
  /** For a batch with `inputJson`: each row's start and end offset in it, as pairs. */
  readonly inputSpans?: Int32Array;
  /**
   * Whether `inputJson` holds a line break (CR or LF), when the caller knows (a reader
   * that saw every byte); without it, each row's bytes are looked through for one.
   */
  readonly inputLineBreaks?: boolean;
  /** One prediction per input row: their number is the entry's number of rows. */
  readonly predictions: ArrayLike<number>;
  readonly latencyMs: number;
}

/** Accepts prediction entries; implementations must return at once. */
export interface PredictionRecorder {
  record(entry: PredictionEntry): void;
}

/** A recorder that keeps nothing, for when the prediction log is switched off. */
export const DISCARD_PREDICTIONS: PredictionRecorder = { record: () => {} };

/** Where the encoded lines go; {@linkcode RotatingFile} is the file-backed one. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /**
   * Rows an earlier process had logged that were lost when the sink opened (a partial
   * last line a crash left, cut off); the log counts them as dropped once, at its start.
   */
  readonly rowsLostAtOpen?: number;
}

/** Options of {@linkcode PredictionLog}. */
export interface PredictionLogOptions {
  /** Size of each of the two buffers; lines that find both full are dropped. */
  readonly bufferBytes: number;
  /** How long lines gather before a write (default 50 ms): fewer, larger writes. */
  readonly flushIntervalMs?: number;
  /** Batch rows serialised per event-loop turn (default 64). */
  readonly chunkRows?: number;
  /** Told how many rows were dropped, whether for full buffers or a failed write. */
  readonly onDrop?: (rows: number) => void;
  /** Told about a failed write; later lines are still written. */
  readonly onError?: (error: unknown) => void;
}

const encoder = new TextEncoder();

/**
 * A bounded, asynchronously written prediction log.
 *
 * @example
 * ```ts
 * import { join } from "node:path";
 * import assert from "node:assert/strict";
 * import { PredictionLog } from "./prediction_log.ts";
 * import { RotatingFile } from "./rotating_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = join(dir, "predictions.jsonl");
 * const file = await RotatingFile.open(path, { maxBytes: 64 << 20, keep: 3 });
 * const log = new PredictionLog(file, { bufferBytes: 4 << 20 });
 * log.record({
 *   time: Date.now(),
 *   requestId: "0190b8a4-6f1e-7c3a-9b2d-5e8f0a1b2c3d",
 *   modelName: "communities-crime",
 *   modelVersion: "3",
 *   inputs: [{ population: 0.4 }],
 *   predictions: [0.21],
 *   latencyMs: 0.3,
 * });
 * await log.close(); // on shutdown: writes what is buffered, then closes the file
 * assert.equal(JSON.parse(await Deno.readTextFile(path)).prediction, 0.21);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class PredictionLog implements PredictionRecorder {
  readonly #sink: ByteSink;
  readonly #flushIntervalMs: number;
  readonly #chunkRows: number;
  readonly #onDrop: (rows: number) => void;
  readonly #onError: (error: unknown) => void;
  #active: Uint8Array;
  #spare: Uint8Array;
  #filled = 0;
  /** Lines in the active buffer: what a failed write drops. */
  #lines = 0;
  #writing?: Promise<void>;
  #flushTimer?: ReturnType<typeof setTimeout>;
  /** Batch entries waiting to be serialised, and how far the first one got. */
  readonly #batches: QueuedBatch[] = [];
  #cursor = 0;
  /** Bytes of the queued batches' inputs, bounded by both buffers' size. */
  #queuedBytes = 0;
  readonly #maxQueuedBytes: number;
  #serializeTimer?: ReturnType<typeof setTimeout>;
  #dropped = 0;
  #closed = false;

  /** Writes to `sink`, which the log owns from now on. */
  constructor(sink: ByteSink, options: PredictionLogOptions) {
    this.#sink = sink;
    this.#active = new Uint8Array(options.bufferBytes);
    this.#spare = new Uint8Array(options.bufferBytes);
    this.#maxQueuedBytes = 2 * options.bufferBytes;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#chunkRows = options.chunkRows ?? 64;
    this.#onDrop = options.onDrop ?? (() => {});
    this.#onError = options.onError ?? (() => {});
    if (sink.rowsLostAtOpen) this.#drop(sink.rowsLostAtOpen);
  }

  /** Rows dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues an entry's lines; drops them (counted) if there is no room. */
  record(entry: PredictionEntry): void {
    const rows = entry.predictions.length;
    if (this.#closed) return this.#drop(rows);
    if (entry.inputJson !== undefined && entry.inputSpans === undefined) {
      this.#append(linePrefix(entry, 0), entry.inputJson, lineSuffix(entry, 0));
      return;
    }
    const bytes = entry.inputJson?.length ?? rows * PARSED_ROW_BYTES;
    if (this.#queuedBytes + bytes > this.#maxQueuedBytes && this.#batches.length > 0) {
      return this.#drop(rows);
    }
    this.#queuedBytes += bytes;
    this.#batches.push(queueBatch(entry, bytes));
    this.#serializeTimer ??= setTimeout(() => this.#serializeBatches(), 0);
  }

  /** Resolves once everything recorded so far is written. */
  async flush(): Promise<void> {
    clearTimeout(this.#serializeTimer);
    this.#serializeTimer = undefined;
    while (this.#batches.length > 0) {
      await this.#writing;
      this.#serializeChunk();
    }
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    await this.#writing;
    if (this.#filled > 0) await this.#writeActive();
  }

  /** Stops accepting entries, writes what is buffered and closes the sink. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await this.#sink.close();
  }

  /** Appends one line: `text`, or `text`, the bytes of `json` and `suffix`. */
  #append(text: string, json?: Uint8Array, suffix = ""): void {
    if (!this.#place(text, json, suffix)) {
      // The active buffer is full: swap now if the other one is free, else drop.
      if (this.#writing) return this.#drop(1);
      this.#writeActive();
      if (!this.#place(text, json, suffix)) return this.#drop(1);
    }
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#writeActive();
    }, this.#flushIntervalMs);
  }

  /** Writes a whole line into the active buffer, or nothing if it does not fit. */
  #place(text: string, json: Uint8Array | undefined, suffix: string): boolean {
    const start = this.#filled;
    if (!this.#encode(text)) return false;
    if (json && !this.#copy(json, true)) {
      this.#filled = start;
      return false;
    }
    if (!this.#encode(suffix)) {
      this.#filled = start;
      return false;
    }
    this.#lines++;
    return true;
  }

  /**
   * Writes `text`, which must be ASCII (numbers and JSON punctuation): byte by byte,
   * which for a few characters is several times cheaper than a call to the encoder.
   */
  #ascii(text: string): boolean {
    const at = this.#filled;
    if (this.#active.length - at < text.length) return false;
    for (let k = 0; k < text.length; k++) this.#active[at + k] = text.charCodeAt(k);
    this.#filled = at + text.length;
    return true;
  }

  #encode(text: string): boolean {
    const { read, written } = encoder.encodeInto(text, this.#active.subarray(this.#filled));
    if (read < text.length) return false;
    this.#filled += written;
    return true;
  }

  #writeActive(): Promise<void> {
    if (this.#writing) {
      // One write at a time: try again once the other buffer is free.
      return this.#writing.then(() => this.#writeActive());
    }
    const bytes = this.#active.subarray(0, this.#filled);
    const rows = this.#lines;
    [this.#active, this.#spare] = [this.#spare, this.#active];
    this.#filled = 0;
    this.#lines = 0;
    this.#writing = this.#sink.write(bytes)
      .catch((error) => {
        this.#drop(rows);
        this.#onError(error);
      })
      .finally(() => this.#writing = undefined);
    return this.#writing;
  }

  #serializeBatches(): void {
    this.#serializeTimer = undefined;
    this.#serializeChunk();
    if (this.#batches.length > 0) {
      this.#serializeTimer = setTimeout(() => this.#serializeBatches(), 0);
    }
  }

  #serializeChunk(): void {
    for (let n = 0; n < this.#chunkRows && this.#batches.length > 0; n++) {
      const batch = this.#batches[0];
      const row = this.#cursor++;
      if (!this.#placeRow(batch, row)) {
        // The active buffer is full: swap now if the other one is free, else drop.
        if (this.#writing) this.#drop(1);
        else {
          this.#writeActive();
          if (!this.#placeRow(batch, row)) this.#drop(1);
        }
      }
      if (this.#cursor === batch.rows) {
        this.#batches.shift();
        this.#queuedBytes -= batch.bytes;
        this.#cursor = 0;
      }
    }
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#writeActive();
    }, this.#flushIntervalMs);
  }

  /** Writes row `row` of `batch` as a whole line into the active buffer, or nothing. */
  #placeRow(batch: QueuedBatch, row: number): boolean {
    const start = this.#filled;
    const { entry } = batch;
    const { inputJson: json, inputSpans: spans } = entry;
    const ok = this.#copy(batch.head) && this.#ascii(`${row},"inputs":`) &&
      (json && spans
        ? this.#copy(json.subarray(spans[2 * row], spans[2 * row + 1]), batch.lineBreaks)
        : this.#encode(JSON.stringify(entry.inputs![row]))) &&
      this.#ascii(`,"prediction":${entry.predictions[row]}`) && this.#copy(batch.tail);
    if (ok) this.#lines++;
    else this.#filled = start;
    return ok;
  }

  /** Copies `bytes` into the active buffer (line breaks as spaces if it may hold some). */
  #copy(bytes: Uint8Array, lineBreaks = false): boolean {
    if (this.#active.length - this.#filled < bytes.length) return false;
    this.#active.set(bytes, this.#filled);
    if (lineBreaks) {
      const copied = this.#active.subarray(this.#filled, this.#filled + bytes.length);
      if (copied.indexOf(LF) >= 0 || copied.indexOf(CR) >= 0) {
        copied.forEach((byte, i) => {
          if (byte === LF || byte === CR) copied[i] = SPACE;
        });
      }
    }
    this.#filled += bytes.length;
    return true;
  }

  #drop(rows: number): void {
    this.#dropped += rows;
    this.#onDrop(rows);
  }
}

const LF = 10;
const CR = 13;
const SPACE = 32;

// Thousands of lines share each millisecond: format its timestamp once.
let isoTime = { time: NaN, text: "" };

function isoString(time: number): string {
  if (time !== isoTime.time) isoTime = { time, text: new Date(time).toISOString() };
  return isoTime.text;
}

/**
 * What a parsed row without its JSON is taken to weigh in the batch queue: about the
 * size of a contract row's JSON, which is what holding the parsed row costs at least.
 */
const PARSED_ROW_BYTES = 4096;

/** A batch waiting for its lines, with the parts every line of it shares, encoded. */
interface QueuedBatch {
  readonly entry: PredictionEntry;
  readonly rows: number;
  /** What the batch counts for in the queue's bound. */
  readonly bytes: number;
  /** Each line up to its row number. */
  readonly head: Uint8Array;
  /** Each line after its prediction. */
  readonly tail: Uint8Array;
  /** Whether the rows' bytes may hold line breaks, to be looked for row by row. */
  readonly lineBreaks: boolean;
}

function queueBatch(entry: PredictionEntry, bytes: number): QueuedBatch {
  const prefix = linePrefix(entry, 0);
  return {
    entry,
    rows: entry.predictions.length,
    bytes,
    head: encoder.encode(prefix.slice(0, prefix.lastIndexOf(ROW_KEY) + ROW_KEY.length)),
    tail: encoder.encode(`,"latencyMs":${entry.latencyMs}}\n`),
    lineBreaks: entry.inputLineBreaks ?? true,
  };
}

const ROW_KEY = '"row":';

/** A line up to its inputs; {@linkcode lineSuffix} closes it. */
function linePrefix(entry: PredictionEntry, row: number): string {
  return `{"time":"${isoString(entry.time)}","requestId":${
    JSON.stringify(entry.requestId)
  },"modelName":${JSON.stringify(entry.modelName)},"modelVersion":${
    JSON.stringify(entry.modelVersion)
  },${ROW_KEY}${row},"inputs":`;
}

function lineSuffix(entry: PredictionEntry, row: number): string {
  return `,"prediction":${entry.predictions[row]},"latencyMs":${entry.latencyMs}}\n`;
}

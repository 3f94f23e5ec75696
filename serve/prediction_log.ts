/**
 * The prediction log: one JSON line per predicted row (request id, time, model version,
 * inputs, prediction, latency), for auditing and drift analysis. Requests only push onto
 * a bounded in-memory queue; a background loop serialises and writes it in chunks, so
 * a slow disk never delays a response. When the queue is full, entries are dropped and
 * counted instead.
 *
 * @module
 */
import type { TextSink } from "./rotating_file.ts";

/** What one request predicted; a batch is one entry with many rows. */
export interface PredictionEntry {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly requestId: string;
  readonly modelName: string;
  readonly modelVersion: string;
  /** The validated input rows, as received. */
  readonly inputs: readonly unknown[];
  /**
   * The JSON text of a single row when it was the whole request body: logged as is,
   * which spares serialising it again.
   */
  readonly inputText?: string;
  /** One prediction per input row. */
  readonly predictions: ArrayLike<number>;
  readonly latencyMs: number;
}

/** Accepts prediction entries; implementations must return at once. */
export interface PredictionRecorder {
  record(entry: PredictionEntry): void;
}

/** A recorder that keeps nothing, for when the prediction log is switched off. */
export const DISCARD_PREDICTIONS: PredictionRecorder = { record: () => {} };

/** Options of {@linkcode PredictionLog}. */
export interface PredictionLogOptions {
  /** Most rows held in memory awaiting their write. */
  readonly capacity: number;
  /** Rows serialised per write, bounding the time one chunk occupies the event loop. */
  readonly chunkRows?: number;
  /** How long entries gather before a write (default 50 ms): fewer, larger writes. */
  readonly flushIntervalMs?: number;
  /** Told how many rows were dropped, whether for a full queue or a failed write. */
  readonly onDrop?: (rows: number) => void;
  /** Told about a failed write; the loop goes on with the next chunk. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A bounded, asynchronously written prediction log.
 *
 * @example
 * ```ts
 * const log = new PredictionLog(await RotatingFile.open("predictions.jsonl", limits), { capacity: 10_000 });
 * log.record(entry);
 * await log.close(); // on shutdown: writes what is queued, then closes the file
 * ```
 */
export class PredictionLog implements PredictionRecorder {
  readonly #sink: TextSink;
  readonly #capacity: number;
  readonly #chunkRows: number;
  readonly #flushIntervalMs: number;
  readonly #onDrop: (rows: number) => void;
  readonly #onError: (error: unknown) => void;
  readonly #queue: PredictionEntry[] = [];
  #queuedRows = 0;
  /** Rows of the head entry already written. */
  #cursor = 0;
  #dropped = 0;
  #timer?: number;
  #draining?: Promise<void>;
  #closed = false;

  /** Writes to `sink`, which the log owns from now on. */
  constructor(sink: TextSink, options: PredictionLogOptions) {
    this.#sink = sink;
    this.#capacity = options.capacity;
    this.#chunkRows = options.chunkRows ?? 256;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#onDrop = options.onDrop ?? (() => {});
    this.#onError = options.onError ?? (() => {});
  }

  /** Rows dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.#queuedRows;
  }

  /** Queues an entry, or drops it whole if its rows do not fit (or the log is closed). */
  record(entry: PredictionEntry): void {
    const rows = entry.inputs.length;
    if (this.#closed || this.#queuedRows + rows > this.#capacity) {
      this.#drop(rows);
      return;
    }
    this.#queue.push(entry);
    this.#queuedRows += rows;
    this.#schedule();
  }

  /** Resolves once everything queued so far is written. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#startDrain();
    }
    while (this.#draining) await this.#draining;
  }

  /** Stops accepting entries, writes what is queued and closes the sink. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await this.#sink.close();
  }

  // A timer rather than a microtask, so responses go out before any serialising starts.
  #schedule(): void {
    if (this.#timer !== undefined || this.#draining) return;
    this.#timer = setTimeout(() => this.#startDrain(), this.#flushIntervalMs);
  }

  #startDrain(): void {
    this.#timer = undefined;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Entries recorded after the loop's last check would otherwise wait for the next one.
      if (this.#queuedRows > 0) this.#schedule();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queuedRows > 0) {
      const { text, rows } = this.#takeChunk();
      try {
        await this.#sink.write(text);
      } catch (error) {
        this.#drop(rows);
        this.#onError(error);
      }
    }
  }

  #takeChunk(): { text: string; rows: number } {
    let text = "";
    let rows = 0;
    while (rows < this.#chunkRows && this.#queue.length > 0) {
      const entry = this.#queue[0];
      // The fixed part of the line is built once per entry, not once per row.
      const head = `{"time":"${new Date(entry.time).toISOString()}","requestId":${
        JSON.stringify(entry.requestId)
      },"modelName":${JSON.stringify(entry.modelName)},"modelVersion":${
        JSON.stringify(entry.modelVersion)
      },"row":`;
      while (this.#cursor < entry.inputs.length && rows < this.#chunkRows) {
        const row = this.#cursor++;
        const inputs = entry.inputText ?? JSON.stringify(entry.inputs[row]);
        text += `${head}${row},"inputs":${inputs},"prediction":${entry.predictions[row]},` +
          `"latencyMs":${entry.latencyMs}}\n`;
        rows++;
      }
      if (this.#cursor === entry.inputs.length) {
        this.#queue.shift();
        this.#cursor = 0;
      }
    }
    this.#queuedRows -= rows;
    return { text, rows };
  }

  #drop(rows: number): void {
    this.#dropped += rows;
    this.#onDrop(rows);
  }
}

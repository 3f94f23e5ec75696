/**
 * Hands every predicted row to the feedback store, off the request path: rows gather in
 * memory and are written in one batch every `flushMs` (100 ms), one write at a time.
 * When the store falls behind and `maxPending` rows wait, new ones are dropped and
 * counted, so a slow database costs feedback coverage, never prediction latency.
 *
 * @module
 */
import type { FeedbackStore, PredictionRecord } from "./feedback_store.ts";

/** Options of {@linkcode PredictionRecorder}. */
export interface RecorderOptions {
  readonly flushMs?: number;
  readonly maxPending?: number;
  /** Told how many rows were dropped, for a full queue or a failed write. */
  readonly onDrop?: (rows: number) => void;
  readonly onError?: (error: unknown) => void;
}

/** Batches predicted rows into a {@linkcode FeedbackStore}. */
export class PredictionRecorder {
  readonly #store: FeedbackStore;
  readonly #flushMs: number;
  readonly #maxPending: number;
  readonly #onDrop: (rows: number) => void;
  readonly #onError: (error: unknown) => void;
  #pending: PredictionRecord[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  #writing: Promise<void> = Promise.resolve();

  /** Records into `store`. */
  constructor(store: FeedbackStore, options: RecorderOptions = {}) {
    this.#store = store;
    this.#flushMs = options.flushMs ?? 100;
    this.#maxPending = options.maxPending ?? 200_000;
    this.#onDrop = options.onDrop ?? (() => {});
    this.#onError = options.onError ?? (() => {});
  }

  /** Queues the rows of one answered request. */
  record(
    requestId: string,
    predictions: Float64Array,
    modelVersion: string,
    predictedAt: number,
  ): void {
    const room = this.#maxPending - this.#pending.length;
    const kept = Math.min(room, predictions.length);
    for (let row = 0; row < kept; row++) {
      this.#pending.push({
        requestId,
        row,
        prediction: predictions[row],
        modelVersion,
        predictedAt,
      });
    }
    if (kept < predictions.length) this.#onDrop(predictions.length - kept);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#flushMs);
  }

  /** Writes what is queued; resolves once it (and any write before it) is done. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.#store.savePredictions(batch);
      } catch (error) {
        this.#onDrop(batch.length);
        this.#onError(error);
      }
    });
    return this.#writing;
  }
}

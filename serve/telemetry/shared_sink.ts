/**
 * One byte sink written by several prediction logs (one per server instance): writes
 * are queued so they never overlap, and each log gets a handle whose `close` waits for
 * its writes without closing the file the others still use.
 *
 * @module
 */
import type { ByteSink } from "./prediction_log.ts";

/** Serialises writes to `sink`; {@linkcode SharedSink.close} closes it. */
export class SharedSink implements ByteSink {
  readonly #sink: ByteSink;
  #tail: Promise<void> = Promise.resolve();
  #lostAtOpen: number;

  /** Takes ownership of `sink`. */
  constructor(sink: ByteSink) {
    this.#sink = sink;
    this.#lostAtOpen = sink.rowsLostAtOpen ?? 0;
  }

  /** Writes after every earlier write; rejects if this write fails. */
  write(bytes: Uint8Array): Promise<void> {
    const written = this.#tail.then(() => this.#sink.write(bytes));
    this.#tail = written.catch(() => {});
    return written;
  }

  /**
   * A sink for one writer: its `close` only waits for the queued writes. The first
   * handle carries the underlying sink's `rowsLostAtOpen`, so they are counted once.
   */
  handle(): ByteSink {
    const rowsLostAtOpen = this.#lostAtOpen;
    this.#lostAtOpen = 0;
    return { write: (bytes) => this.write(bytes), close: () => this.#tail, rowsLostAtOpen };
  }

  /** Waits for the queued writes, then closes the underlying sink. */
  async close(): Promise<void> {
    await this.#tail;
    await this.#sink.close();
  }
}

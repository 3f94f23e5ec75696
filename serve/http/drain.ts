/**
 * Graceful shutdown at the request level. Deno's `server.shutdown()` stops listening but
 * also cuts off request bodies still being uploaded, so the server first drains: it
 * counts requests in flight, turns new ones away once draining has begun, and reports
 * when the last in-flight request has been answered.
 *
 * @module
 */

/** Tracks in-flight requests and the draining state. */
export class Drain {
  #inFlight = 0;
  #draining = false;
  #idle?: () => void;

  /** Requests being handled right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whether new requests are being turned away. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Admits a request (counted until {@linkcode Drain.leave}), or returns false while draining. */
  enter(): boolean {
    if (this.#draining) return false;
    this.#inFlight++;
    return true;
  }

  /** Marks an admitted request as answered. */
  leave(): void {
    if (--this.#inFlight === 0) this.#idle?.();
  }

  /** Starts draining; resolves once no request is in flight. */
  start(): Promise<void> {
    this.#draining = true;
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle = resolve);
  }
}

/**
 * Graceful shutdown at the request level. Deno's `server.shutdown()` stops listening but
 * also cuts off request bodies still being uploaded, so the server first drains: it
 * counts requests in flight, turns new ones away with 503 once draining has begun, and
 * reports when the last in-flight request has been answered.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";

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

  /** The middleware: counts requests, or answers 503 while draining. */
  middleware(): MiddlewareHandler<ServeEnv> {
    return async (c, next) => {
      if (this.#draining) {
        c.header("connection", "close");
        return apiError(c, 503, "not_ready", "the server is shutting down");
      }
      this.#inFlight++;
      try {
        await next();
      } finally {
        if (--this.#inFlight === 0) this.#idle?.();
      }
    };
  }

  /** Starts draining; resolves once no request is in flight. */
  start(): Promise<void> {
    this.#draining = true;
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle = resolve);
  }
}

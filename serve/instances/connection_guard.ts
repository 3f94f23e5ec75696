/**
 * A TCP front for the HTTP server that bounds what one client can hold: the number of
 * open connections, and the time a connection may sit idle, take to send a request's
 * headers, or take from a request's first byte to its response's first byte (which
 * bounds a slow body). `Deno.serve` has none of these settings, so the guard accepts the
 * connections itself and relays their bytes to the server on a Unix socket.
 *
 * It reads no more of HTTP than it needs: a request starts with the first client byte
 * after a response (or on a new connection), its headers end at the first blank line,
 * and it is answered once the server sends bytes that are not a `100 Continue`.
 *
 * - Over the connection cap: the new connection is answered `503` with `Retry-After`
 *   and closed, so the clients already connected are not slowed down.
 * - Headers not complete within the header timeout, or no response started within the
 *   request timeout: answered `408` and closed (no response is on the wire yet).
 * - No byte either way within the idle timeout while no request is open: closed, as
 *   HTTP keep-alive allows.
 *
 * Timeouts are checked by one sweep per guard (every quarter of the shortest timeout,
 * at most once a second), not a timer per connection, so they cost the request path
 * nothing but a clock read; they fire up to one sweep late.
 *
 * @module
 */

/** The guard's limits; 0 turns a limit off. */
export interface GuardLimits {
  /** Open connections at most; the next one is answered 503. */
  readonly maxConnections: number;
  /** Milliseconds from a request's first byte to the end of its headers. */
  readonly headerTimeoutMs: number;
  /** Milliseconds from a request's first byte to its response's first byte. */
  readonly requestTimeoutMs: number;
  /** Milliseconds a connection with no open request may stay silent. */
  readonly idleTimeoutMs: number;
}

/** Why the guard closed a connection; a fixed set, for metric labels. */
export const GUARD_CLOSE_REASONS = [
  "over_capacity",
  "header_timeout",
  "request_timeout",
  "idle_timeout",
] as const;

/** Why the guard closed a connection. */
export type GuardCloseReason = typeof GUARD_CLOSE_REASONS[number];

/** How to run a guard. */
export interface ConnectionGuardOptions {
  readonly hostname: string;
  readonly port: number;
  /** Share the port with other listeners (SO_REUSEPORT). */
  readonly reusePort?: boolean;
  /** The server's Unix socket, where the bytes of every connection are relayed. */
  readonly upstreamPath: string;
  readonly limits: GuardLimits;
  /** Told each time the guard closes a connection itself. */
  readonly onClose?: (reason: GuardCloseReason) => void;
  /** Told the number of open connections each time it changes. */
  readonly onOpenChange?: (open: number) => void;
}

type Phase = "idle" | "headers" | "awaiting_response";

interface Relay {
  readonly client: Deno.Conn;
  upstream?: Deno.Conn;
  phase: Phase;
  /** When the current request began (its first byte). */
  requestStart: number;
  lastActivity: number;
  /** The {@linkcode findHeaderEnd} state of the header block being received. */
  crlfSeen: number;
  closed: boolean;
}

const encoder = new TextEncoder();
const CR = 13, LF = 10;
const CHUNK_BYTES = 64 * 1024;

/** A complete HTTP/1.1 answer sent by the guard itself, in the API's error shape. */
function answer(status: string, error: string, message: string, headers = ""): Uint8Array {
  const body = JSON.stringify({ error, message, requestId: crypto.randomUUID() });
  return encoder.encode(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\nconnection: close\r\n${headers}` +
      `content-length: ${encoder.encode(body).length}\r\n\r\n${body}`,
  );
}

/**
 * Where a header block ends: the blank line after the headers, `\r\n\r\n` (or, as
 * lenient parsers accept, `\n\n`). `state` carries the line-break bytes a previous
 * chunk ended with, so a blank line split across reads is found: 0 in text, 1 after
 * `\r`, 2 after a line break, 3 after a line break and `\r`. Returns the index just
 * past the blank line, or -1 and the state to pass with the next chunk.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHeaderEnd } from "./connection_guard.ts";
 * const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
 * assert.deepEqual(findHeaderEnd(bytes, 0), { end: bytes.length, state: 0 });
 * const head = findHeaderEnd(bytes.subarray(0, bytes.length - 1), 0);
 * assert.deepEqual(head, { end: -1, state: 3 });
 * assert.deepEqual(findHeaderEnd(bytes.subarray(bytes.length - 1), head.state), { end: 1, state: 0 });
 * ```
 */
export function findHeaderEnd(chunk: Uint8Array, state: number): { end: number; state: number } {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i];
    if (byte === LF) {
      if (state >= 2) return { end: i + 1, state: 0 };
      state = 2;
    } else if (byte === CR) state = state === 2 ? 3 : 1;
    else state = 0;
  }
  return { end: -1, state };
}

/** A listening guard. */
export class ConnectionGuard {
  readonly #listener: Deno.TcpListener;
  readonly #options: ConnectionGuardOptions;
  readonly #relays = new Set<Relay>();
  readonly #sweep?: ReturnType<typeof setInterval>;
  readonly #accepting: Promise<void>;
  /** A coarse clock, advanced by the sweep: cheaper on the request path than a read. */
  #now = performance.now();

  /** Listens on `options.hostname:options.port`; throws if it cannot. */
  constructor(options: ConnectionGuardOptions) {
    this.#options = options;
    this.#listener = Deno.listen({
      hostname: options.hostname,
      port: options.port,
      reusePort: options.reusePort,
    });
    const { headerTimeoutMs, requestTimeoutMs, idleTimeoutMs } = options.limits;
    const timeouts = [headerTimeoutMs, requestTimeoutMs, idleTimeoutMs].filter((t) => t > 0);
    if (timeouts.length > 0) {
      const every = Math.min(1000, Math.max(10, Math.min(...timeouts) / 4));
      this.#sweep = setInterval(() => this.#check(), every);
    }
    this.#accepting = this.#accept();
  }

  /** The TCP address listened on. */
  get addr(): Deno.NetAddr {
    return this.#listener.addr;
  }

  /** Connections open now. */
  get open(): number {
    return this.#relays.size;
  }

  /**
   * Stops accepting and resolves once every connection is closed. Call it after the
   * server's own shutdown: the server closing its ends lets each relay pass on its last
   * bytes and close; those still open after `graceMs` are closed at once.
   */
  async close(graceMs = 1000): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
    await this.#accepting;
    const deadline = Date.now() + graceMs;
    while (this.#relays.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clearInterval(this.#sweep);
    for (const relay of this.#relays) this.#end(relay);
  }

  async #accept(): Promise<void> {
    const { maxConnections } = this.#options.limits;
    for (;;) {
      let client: Deno.Conn;
      try {
        client = await this.#listener.accept();
      } catch {
        return; // The listener was closed.
      }
      if (maxConnections > 0 && this.#relays.size >= maxConnections) {
        this.#refuse(client);
        continue;
      }
      const now = this.#now = performance.now();
      const relay: Relay = {
        client,
        phase: "idle",
        requestStart: now,
        lastActivity: now,
        crlfSeen: 0,
        closed: false,
      };
      this.#relays.add(relay);
      this.#options.onOpenChange?.(this.#relays.size);
      this.#relay(relay);
    }
  }

  #refuse(client: Deno.Conn): void {
    this.#options.onClose?.("over_capacity");
    const refusal = answer(
      "503 Service Unavailable",
      "over_capacity",
      `the server has ${this.#options.limits.maxConnections} connections open, its limit; ` +
        "retry shortly",
      "retry-after: 1\r\n",
    );
    // Small enough for the socket buffer: the write never waits on the client.
    client.write(refusal).catch(() => {}).finally(() => {
      try {
        client.close();
      } catch {
        // Closed by the client already.
      }
    });
  }

  async #relay(relay: Relay): Promise<void> {
    try {
      relay.upstream = await Deno.connect({
        transport: "unix",
        path: this.#options.upstreamPath,
      });
    } catch {
      this.#end(relay);
      return;
    }
    const upstream = relay.upstream;
    const fromClient = this.#pump(relay, relay.client, upstream, true);
    // The server closing its end ends the exchange: once its last bytes are relayed, the
    // client's connection is closed too (a client's half-close, though, still waits for
    // the answer).
    await this.#pump(relay, upstream, relay.client, false);
    this.#end(relay);
    await fromClient;
  }

  async #pump(relay: Relay, from: Deno.Conn, to: Deno.Conn, fromClient: boolean): Promise<void> {
    const buffer = new Uint8Array(CHUNK_BYTES);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        relay.lastActivity = this.#now;
        if (fromClient) this.#fromClient(relay, chunk);
        else this.#fromServer(relay, chunk);
        for (let written = 0; written < n;) written += await to.write(chunk.subarray(written));
      }
      to.closeWrite();
    } catch {
      // A reset, or the other pump ended the relay: either way this direction is done.
      this.#end(relay);
    }
  }

  #fromClient(relay: Relay, chunk: Uint8Array): void {
    if (relay.phase === "idle") {
      relay.phase = "headers";
      relay.requestStart = this.#now;
      relay.crlfSeen = 0;
    }
    if (relay.phase === "headers") {
      const found = findHeaderEnd(chunk, relay.crlfSeen);
      relay.crlfSeen = found.state;
      if (found.end >= 0) relay.phase = "awaiting_response";
    }
  }

  #fromServer(relay: Relay, chunk: Uint8Array): void {
    // "HTTP/1.1 100 Continue" (byte 9 is the status's first digit) asks for the body: the
    // request is still open.
    if (chunk.length > 9 && chunk[0] === 0x48 /* "H" */ && chunk[9] === 0x31 /* "1" */) return;
    relay.phase = "idle";
  }

  #check(): void {
    const now = this.#now = performance.now();
    const { headerTimeoutMs, requestTimeoutMs, idleTimeoutMs } = this.#options.limits;
    for (const relay of this.#relays) {
      const open = now - relay.requestStart;
      if (relay.phase === "idle") {
        if (idleTimeoutMs > 0 && now - relay.lastActivity > idleTimeoutMs) {
          this.#options.onClose?.("idle_timeout");
          this.#end(relay);
        }
      } else if (relay.phase === "headers" && headerTimeoutMs > 0 && open > headerTimeoutMs) {
        this.#timeOut(relay, "header_timeout", "its headers", headerTimeoutMs);
      } else if (requestTimeoutMs > 0 && open > requestTimeoutMs) {
        this.#timeOut(relay, "request_timeout", "the whole request", requestTimeoutMs);
      }
    }
  }

  #timeOut(relay: Relay, reason: GuardCloseReason, what: string, limitMs: number): void {
    this.#options.onClose?.(reason);
    const message = `the client took longer than ${limitMs / 1000} s to send ${what}`;
    const { client } = relay;
    // The upstream is cut first, so nothing it sends can follow the 408 on the wire.
    this.#closeUpstream(relay);
    client.write(answer("408 Request Timeout", "request_timeout", message))
      .catch(() => {}).finally(() => this.#end(relay));
  }

  #closeUpstream(relay: Relay): void {
    try {
      relay.upstream?.close();
    } catch {
      // Already closed.
    }
    relay.upstream = undefined;
  }

  #end(relay: Relay): void {
    this.#closeUpstream(relay);
    if (relay.closed) return;
    relay.closed = true;
    this.#relays.delete(relay);
    this.#options.onOpenChange?.(this.#relays.size);
    try {
      relay.client.close();
    } catch {
      // Already closed.
    }
  }
}

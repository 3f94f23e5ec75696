/**
 * Short descriptions of why a `fetch` threw, for error messages: Deno reports a refused
 * connection as a generic "fetch failed" with the real reason deep in its `cause`.
 *
 * @module
 */

/**
 * Describes a `fetch` failure, e.g. `Connection refused (os error 111)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // A port that was just free: nothing listens there.
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = listener.addr as Deno.NetAddr;
 * listener.close();
 * const error = await fetch(`http://127.0.0.1:${port}/health`).catch((e) => e);
 * assert.match(describeFetchFailure(error, 2000), /Connection refused/);
 * ```
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeoutMs} ms`;
  }
  if (!(error instanceof Error)) return String(error);
  const detail = error.cause instanceof Error ? error.cause.message : error.message;
  // Deno chains the layers as "error sending request …: client error (Connect): …: <reason>".
  return detail.split(": ").at(-1) || error.message;
}

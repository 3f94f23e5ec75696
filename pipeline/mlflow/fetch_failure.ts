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
 * const url = "http://127.0.0.1:5000/health";
 * try {
 *   await fetch(url, { signal: AbortSignal.timeout(2000) });
 * } catch (error) {
 *   throw new Error(`cannot reach ${url}: ${describeFetchFailure(error, 2000)}`);
 * }
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

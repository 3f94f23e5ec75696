/**
 * The `--healthcheck` mode: asks a running server's `GET /ready` and reports the answer
 * as an exit status, for container health checks where no HTTP client is installed. It
 * checks readiness rather than liveness because a container that cannot load its model
 * (a wrong model URI, an unreachable registry with nothing cached) should show as
 * unhealthy, with the server's reason, instead of looking fine while it answers 503.
 *
 * @module
 */

/** The address to reach a server listening on `host` from the same machine. */
export function localAddress(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return `http://127.0.0.1:${port}`;
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Returns `undefined` if `GET <base>/ready` answers 200 within `timeoutMs`, else why not
 * (with the server's own reason when it is up but has no model).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkReady } from "./healthcheck.ts";
 *
 * // Nothing listens on port 1: the answer says so, as `--healthcheck` reports it.
 * const problem = await checkReady("http://127.0.0.1:1", 500);
 * assert.match(problem!, /^GET http:\/\/127\.0\.0\.1:1\/ready failed/);
 * ```
 */
export async function checkReady(base: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const text = await response.text();
    let reason: unknown;
    try {
      reason = JSON.parse(text).reason;
    } catch {
      // Not the server's JSON: the status alone says enough.
    }
    return `GET ${base}/ready answered ${response.status}` +
      (typeof reason === "string" ? `: ${reason}` : "");
  } catch (error) {
    return `GET ${base}/ready failed: ${(error as Error).message}`;
  }
}

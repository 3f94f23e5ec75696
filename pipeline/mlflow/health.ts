/**
 * Liveness probe of a tracking server through its `/health` endpoint.
 *
 * @module
 */
import { describeFetchFailure } from "./fetch_failure.ts";

/**
 * Asks `GET <uri>/health` and returns why the server is not healthy, or `undefined` if it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { probeHealth } from "./health.ts";
 *
 * let status = 200; // a stand-in for the tracking server, healthy and then not
 * const server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   () => new Response(null, { status }),
 * );
 * const uri = `http://127.0.0.1:${server.addr.port}`;
 * assert.equal(await probeHealth(uri), undefined);
 * status = 503;
 * assert.equal(await probeHealth(uri), "GET /health answered 503");
 * await server.shutdown();
 * ```
 */
export async function probeHealth(uri: string, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const response = await fetch(`${uri.replace(/\/+$/, "")}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok ? undefined : `GET /health answered ${response.status}`;
  } catch (error) {
    return `GET /health failed: ${describeFetchFailure(error, timeoutMs)}`;
  }
}

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
 * const problem = await probeHealth("http://127.0.0.1:5000");
 * if (problem) console.error(`MLflow is down: ${problem}`);
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

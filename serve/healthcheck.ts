/**
 * The `--healthcheck` mode: asks a running server's `GET /health` and reports the answer
 * as an exit status, for container health checks where no HTTP client is installed.
 *
 * @module
 */

/** The address to reach a server listening on `host` from the same machine. */
export function localAddress(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return `http://127.0.0.1:${port}`;
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Returns `undefined` if `GET <base>/health` answers 200 within `timeoutMs`, else why not.
 *
 * @example
 * ```ts
 * const problem = await checkHealth("http://127.0.0.1:8080");
 * Deno.exit(problem ? 1 : 0);
 * ```
 */
export async function checkHealth(base: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? undefined : `GET ${base}/health answered ${response.status}`;
  } catch (error) {
    return `GET ${base}/health failed: ${(error as Error).message}`;
  }
}

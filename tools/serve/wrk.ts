/**
 * Runs the `wrk` HTTP load generator against a URL with a fixed JSON body and reads its
 * report: throughput, latency percentiles and errors. Shared by the serve benchmarks.
 * Needs `wrk` on PATH (Debian package `wrk`).
 *
 * @module
 */
import { join } from "node:path";

/** What one wrk run measured. */
export interface WrkResult {
  readonly requestsPerSecond: number;
  /** Requests completed (any status). */
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx/3xx answers plus socket errors of every kind (connect, read, write, timeout). */
  readonly errors: number;
}

/** How to run wrk. */
export interface WrkOptions {
  readonly connections: number;
  readonly seconds: number;
  /** wrk threads; at most `connections`. */
  readonly threads: number;
  /** The Lua script that sets the request, from {@linkcode writePostScript}. */
  readonly script: string;
}

function toMs(value: string): number {
  const [, n, unit] = /^([\d.]+)(us|ms|s)$/.exec(value)!;
  return Number(n) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);
}

/**
 * Parses wrk's `--latency` report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const report = "  Latency Distribution\n     50%  100.00us\n     99%    1.50ms\n" +
 *   "  1000 requests in 1.00s, 1.00MB read\n" +
 *   "  Socket errors: connect 0, read 2, write 0, timeout 1\n" +
 *   "  Non-2xx or 3xx responses: 3\nRequests/sec:   1000.00\n";
 * assert.deepEqual(parseWrkReport(report), {
 *   requestsPerSecond: 1000, requests: 1000, p50Ms: 0.1, p99Ms: 1.5, errors: 6,
 * });
 * ```
 */
export function parseWrkReport(text: string): WrkResult {
  const field = (pattern: RegExp) => pattern.exec(text)?.[1];
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requestsPerSecond: Number(field(/Requests\/sec:\s+([\d.]+)/)),
    requests: Number(field(/^\s+(\d+) requests in /m)),
    p50Ms: toMs(field(/^\s+50%\s+(\S+)/m)!),
    p99Ms: toMs(field(/^\s+99%\s+(\S+)/m)!),
    errors: Number(field(/Non-2xx or 3xx responses: (\d+)/) ?? 0) + socketErrors,
  };
}

/**
 * Writes, in `dir`, a wrk Lua script that POSTs the JSON `body`; returns its path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writePostScript } from "./wrk.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const script = await writePostScript(dir, '{"x": 1}');
 * assert.match(await Deno.readTextFile(script), /wrk\.method = "POST"/);
 * assert.equal(await Deno.readTextFile(`${dir}/wrk_body.json`), '{"x": 1}'); // read by the script
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writePostScript(dir: string, body: string): Promise<string> {
  const bodyPath = join(dir, "wrk_body.json");
  const script = join(dir, "wrk_post.lua");
  await Deno.writeTextFile(bodyPath, body);
  await Deno.writeTextFile(
    script,
    `local f = io.open("${bodyPath}")\nwrk.method = "POST"\nwrk.body = f:read("*a")\nf:close()\n` +
      `wrk.headers["Content-Type"] = "application/json"\n`,
  );
  return script;
}

/**
 * Runs wrk against `url`; throws with wrk's output if it fails.
 *
 * @example
 * ```ts ignore
 * const script = await writePostScript(await Deno.makeTempDir(), '{"x": 1}');
 * const result = await runWrk("http://127.0.0.1:8080/predict", {
 *   connections: 32, seconds: 10, threads: 1, script,
 * });
 * console.log(result.requestsPerSecond);
 * ```
 */
export async function runWrk(url: string, options: WrkOptions): Promise<WrkResult> {
  const threads = Math.min(options.threads, options.connections);
  const { stdout, code } = await new Deno.Command("wrk", {
    args: [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      "--latency",
      "-s",
      options.script,
      url,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) throw new Error(`wrk failed:\n${text}`);
  return parseWrkReport(text);
}

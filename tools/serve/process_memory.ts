/**
 * Resident memory of a process, read from Linux's `/proc/<pid>/status`, for the
 * benchmarks and tests that watch the server's footprint.
 *
 * @module
 */

/**
 * VmRSS (resident now) and VmHWM (peak resident) of process `pid`, in MiB.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryMiB } from "./process_memory.ts";
 *
 * const { rss, peak } = memoryMiB(Deno.pid);
 * assert.ok(rss > 0 && rss <= peak);
 * ```
 */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/**
 * Resets the peak (VmHWM) of `pid` to its current RSS; false if the kernel refuses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryMiB, resetPeak } from "./process_memory.ts";
 *
 * const before = memoryMiB(Deno.pid).peak;
 * if (resetPeak(Deno.pid)) assert.ok(memoryMiB(Deno.pid).peak <= before); // about the RSS now
 * ```
 */
export function resetPeak(pid: number): boolean {
  try {
    Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

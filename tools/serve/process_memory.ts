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
 * const { rss, peak } = memoryMiB(Deno.pid);
 * console.log(rss <= peak);
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
 * if (resetPeak(Deno.pid)) console.log(memoryMiB(Deno.pid).peak);
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

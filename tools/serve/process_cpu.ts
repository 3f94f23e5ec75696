/**
 * CPU time a process has used, read from Linux's `/proc/<pid>/stat`, for the benchmarks
 * that relate throughput to cores actually spent.
 *
 * @module
 */

/** Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`, 100 on every Linux ABI). */
const USER_HZ = 100;

/**
 * User plus system CPU seconds used so far by process `pid` (all its threads).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cpuSeconds } from "./process_cpu.ts";
 *
 * const before = cpuSeconds(Deno.pid);
 * let x = 0;
 * for (let i = 0; i < 1e7; i++) x += i;
 * assert.ok(x > 0 && cpuSeconds(Deno.pid) >= before);
 * ```
 */
export function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from its end.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the file, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

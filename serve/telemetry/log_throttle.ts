/**
 * Keeps an error that repeats on every request or flush (a full disk under the
 * prediction log) from flooding the server's log: the first occurrence is logged at once,
 * later ones at most once per interval, each with how many were held back since.
 *
 * @module
 */

/**
 * Wraps `log` so it runs at most once per `intervalMs`; the fields of a line that follows
 * held-back calls carry `suppressed`, their number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { throttleLog } from "./log_throttle.ts";
 * const lines: Record<string, unknown>[] = [];
 * let now = 0;
 * const warn = throttleLog((fields) => lines.push(fields), 60_000, () => now);
 * warn({ error: "disk full" });
 * warn({ error: "disk full" });
 * now = 61_000;
 * warn({ error: "disk full" });
 * assert.deepEqual(lines, [{ error: "disk full" }, { error: "disk full", suppressed: 1 }]);
 * ```
 */
export function throttleLog(
  log: (fields: Record<string, unknown>) => void,
  intervalMs: number,
  now: () => number = Date.now,
): (fields: Record<string, unknown>) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (fields) => {
    const at = now();
    if (at - last < intervalMs) {
      suppressed++;
      return;
    }
    last = at;
    log(suppressed > 0 ? { ...fields, suppressed } : fields);
    suppressed = 0;
  };
}

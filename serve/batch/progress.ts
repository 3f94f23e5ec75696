/**
 * Progress of a batch run on standard error: a bar redrawn in place on a terminal, else
 * a plain line every few seconds (for logs, where a bar would be noise).
 *
 * @module
 */

/** What the progress display is told. */
export interface Progress {
  /** `rows` scored so far, `fraction` of the file read. */
  update(rows: number, fraction: number): void;
  /** Writes a line (a bad row, say) without breaking the bar. */
  message(line: string): void;
  /** Ends the display. */
  done(rows: number): void;
}

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  readonly terminal: boolean;
  readonly write: (text: string) => void;
  /** Milliseconds between plain lines [10000]. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const BAR_WIDTH = 30;

/**
 * A progress display.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProgress } from "./progress.ts";
 *
 * let out = "";
 * let t = 0;
 * const progress = createProgress({ terminal: false, write: (s) => out += s, now: () => t });
 * t = 10_000;
 * progress.update(5000, 0.5);
 * assert.match(out, /5000 rows scored, 50% of the input read/);
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 10_000;
  const started = now();
  let last = started;
  let drawn = false;
  const rate = (rows: number) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? Math.round(rows / seconds) : 0;
  };
  const clear = () => {
    if (drawn) options.write("\r\x1b[2K");
    drawn = false;
  };
  return {
    update(rows, fraction) {
      const t = now();
      if (options.terminal) {
        if (t - last < 100) return;
        last = t;
        const filled = Math.round(Math.min(1, fraction) * BAR_WIDTH);
        const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        options.write(
          `\r\x1b[2K[${bar}] ${(fraction * 100).toFixed(0)}% ${rows} rows ${rate(rows)} rows/s`,
        );
        drawn = true;
      } else if (t - last >= interval) {
        last = t;
        options.write(
          `predict: ${rows} rows scored, ${(fraction * 100).toFixed(0)}% of the input read, ` +
            `${rate(rows)} rows/s\n`,
        );
      }
    },
    message(line) {
      clear();
      options.write(`${line}\n`);
    },
    done() {
      clear();
    },
  };
}

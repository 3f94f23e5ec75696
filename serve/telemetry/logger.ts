/**
 * Structured logs: one JSON object per line on stderr, so a log collector can index
 * every field without parsing free text.
 *
 * @module
 */

/** Severity levels, least severe first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Extra fields of a log line; an `Error` value is logged as its message only. */
export type LogFields = Record<string, unknown>;

/** Writes log lines at or above a minimum level. */
export interface Logger {
  /** Whether a line at `level` would be written, to skip building costly fields. */
  enabled(level: LogLevel): boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const encoder = new TextEncoder();

/** Writes a line to stderr synchronously, so nothing is lost when the process exits. */
export function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line));
}

/**
 * Creates a logger writing `{"time","level","msg",...fields}` lines through `write`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLogger } from "./logger.ts";
 *
 * const lines: string[] = []; // stderr when no writer is given
 * const log = jsonLogger("info", (line) => lines.push(line));
 * log.info("listening", { port: 8080 });
 * log.debug("not written: below info");
 * assert.equal(lines.length, 1);
 * assert.equal(JSON.parse(lines[0]).port, 8080);
 * ```
 */
export function jsonLogger(
  minimum: LogLevel,
  write: (line: string) => void = writeStderr,
  now: () => Date = () => new Date(),
): Logger {
  const threshold = LOG_LEVELS.indexOf(minimum);
  const enabled = (level: LogLevel) => LOG_LEVELS.indexOf(level) >= threshold;
  const emit = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (!enabled(level)) return;
    const line = { time: now().toISOString(), level, msg: message, ...fields };
    // Stack traces stay out of the logs' fields: the message is what operators act on.
    write(`${JSON.stringify(line, (_key, v) => v instanceof Error ? v.message : v)}\n`);
  };
  return {
    enabled,
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
  };
}

/**
 * A logger that adds `fields` to every line, e.g. the server instance that wrote it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLogger, withFields } from "./logger.ts";
 *
 * const lines: string[] = [];
 * const log = withFields(jsonLogger("info", (line) => lines.push(line)), { instance: 1 });
 * log.warn("slow reload");
 * assert.equal(JSON.parse(lines[0]).instance, 1);
 * ```
 */
export function withFields(logger: Logger, fields: LogFields): Logger {
  const wrap = (level: LogLevel) => (message: string, extra: LogFields = {}) =>
    logger[level](message, { ...fields, ...extra });
  return {
    enabled: (level) => logger.enabled(level),
    debug: wrap("debug"),
    info: wrap("info"),
    warn: wrap("warn"),
    error: wrap("error"),
  };
}

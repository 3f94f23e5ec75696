/**
 * One structured log line per request: server errors at `error`, client errors at
 * `info`, successes at `debug` (so the default level does not write a line for every
 * prediction; the prediction log records those).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { ServeEnv } from "../app_env.ts";
import type { Logger, LogLevel } from "../logger.ts";

/**
 * Logs each request after it is answered.
 *
 * @example
 * ```ts
 * app.use(accessLog(logger));
 * ```
 */
export function accessLog(logger: Logger): MiddlewareHandler<ServeEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const level: LogLevel = status >= 500 ? "error" : status >= 400 ? "info" : "debug";
    if (!logger.enabled(level)) return;
    logger[level]("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    });
  };
}

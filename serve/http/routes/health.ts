/**
 * `GET /health` (the process answers) and `GET /ready` (a model is loaded).
 *
 * @module
 */
import { Hono } from "hono";
import type { ReadyResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { notReadyReason, RETRY_AFTER_SECONDS } from "./not_ready.ts";

/** The liveness and readiness routes. */
export function healthRoutes(deps: AppDeps): Hono<ServeEnv> {
  return new Hono<ServeEnv>()
    .get("/health", (c) => c.json({ status: "ok" as const }))
    .get("/ready", (c) => {
      const model = deps.slot.model;
      if (model) {
        return c.json(
          { status: "ready", modelVersion: model.identity.version } satisfies ReadyResponse,
        );
      }
      c.header("retry-after", `${RETRY_AFTER_SECONDS}`);
      return c.json(
        { status: "not_ready", reason: notReadyReason(deps.slot) } satisfies ReadyResponse,
        503,
      );
    });
}

/**
 * `GET /openapi.json` (generated from the zod schemas for the served model) and
 * `GET /docs` (the interactive page).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { DOCS_PAGE } from "../docs_page.ts";
import { openApiDocument } from "../openapi.ts";
import type { ServedModel } from "../../model/served_model.ts";
import { notReady } from "./not_ready.ts";

/** The documentation routes. */
export function docsRoutes(deps: AppDeps): Hono<ServeEnv> {
  // One document per loaded model, built on first request.
  const documents = new WeakMap<ServedModel, Record<string, unknown>>();
  return new Hono<ServeEnv>()
    .get("/openapi.json", (c) => {
      const model = deps.slot.model;
      if (!model) return notReady(c, deps.slot);
      let document = documents.get(model);
      if (!document) {
        document = openApiDocument(model, deps.limits, {
          adminToken: deps.adminToken !== undefined,
        });
        documents.set(model, document);
      }
      return c.json(document);
    })
    .get("/docs", (c) => c.html(DOCS_PAGE));
}

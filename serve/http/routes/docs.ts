/**
 * `GET /openapi.json` (generated from the zod schemas for the served model) and
 * `GET /docs` (Swagger UI on it, with its assets served by this server).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import {
  DOCS_CSP,
  DOCS_PAGE,
  DOCS_SCRIPT,
  SWAGGER_UI_CSS,
  SWAGGER_UI_SCRIPT,
} from "../docs/docs_page.ts";
import { openApiDocument } from "../openapi.ts";
import type { ServedModel } from "../../model/served_model.ts";
import { staticAsset } from "../static_asset.ts";
import { notReady } from "./not_ready.ts";

const JAVASCRIPT = "text/javascript; charset=utf-8";

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
    .get("/docs", (c) => {
      c.header("content-security-policy", DOCS_CSP);
      c.header("x-content-type-options", "nosniff");
      return c.html(DOCS_PAGE);
    })
    .get("/docs/docs.js", staticAsset(DOCS_SCRIPT, JAVASCRIPT))
    .get("/docs/swagger-ui-bundle.js", staticAsset(SWAGGER_UI_SCRIPT, JAVASCRIPT))
    .get("/docs/swagger-ui.css", staticAsset(SWAGGER_UI_CSS, "text/css; charset=utf-8"));
}

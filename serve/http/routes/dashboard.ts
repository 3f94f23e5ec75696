/**
 * `GET /dashboard` (the monitoring page), and its two scripts, served with a content
 * security policy that allows this server only. The scripts are fixed for the life of the
 * process: plotly.js is cached by browsers for a day and revalidated by its ETag.
 *
 * @module
 */
import { Hono } from "hono";
import type { ServeEnv } from "../app_env.ts";
import { sha256Hex } from "../../../pipeline/core/sha256.ts";
import {
  DASHBOARD_CSP,
  DASHBOARD_PAGE,
  DASHBOARD_SCRIPT,
  PLOTLY_SCRIPT,
} from "../dashboard/dashboard_page.ts";

const JAVASCRIPT = "text/javascript; charset=utf-8";

async function etagOf(text: string): Promise<string> {
  return `"${(await sha256Hex(text)).slice(0, 24)}"`;
}

/** The dashboard routes. */
export function dashboardRoutes(): Hono<ServeEnv> {
  const plotlyTag = etagOf(PLOTLY_SCRIPT);
  return new Hono<ServeEnv>()
    .get("/dashboard", (c) => {
      c.header("content-security-policy", DASHBOARD_CSP);
      c.header("x-content-type-options", "nosniff");
      return c.html(DASHBOARD_PAGE);
    })
    .get("/dashboard/dashboard.js", (c) => {
      c.header("content-type", JAVASCRIPT);
      c.header("cache-control", "no-cache");
      return c.body(DASHBOARD_SCRIPT);
    })
    .get("/dashboard/plotly.min.js", async (c) => {
      const tag = await plotlyTag;
      c.header("etag", tag);
      c.header("cache-control", "public, max-age=86400");
      if (c.req.header("if-none-match") === tag) return c.body(null, 304);
      c.header("content-type", JAVASCRIPT);
      return c.body(PLOTLY_SCRIPT);
    });
}

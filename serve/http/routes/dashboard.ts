/**
 * `GET /dashboard` (the monitoring page), and its two scripts, served with a content
 * security policy that allows this server only. The scripts are fixed for the life of the
 * process: plotly.js is cached by browsers for a day and revalidated by its ETag.
 *
 * @module
 */
import { Hono } from "hono";
import type { ServeEnv } from "../app_env.ts";
import { staticAsset } from "../static_asset.ts";
import {
  DASHBOARD_CSP,
  DASHBOARD_PAGE,
  DASHBOARD_SCRIPT,
  PLOTLY_SCRIPT,
} from "../dashboard/dashboard_page.ts";

const JAVASCRIPT = "text/javascript; charset=utf-8";

/** The dashboard routes. */
export function dashboardRoutes(): Hono<ServeEnv> {
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
    .get("/dashboard/plotly.min.js", staticAsset(PLOTLY_SCRIPT, JAVASCRIPT));
}

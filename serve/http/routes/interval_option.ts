/**
 * The `interval` query parameter of the prediction routes: `?interval=true` adds each
 * prediction's conformal interval (`lower`, `upper`, `intervalLevel`) to the answer;
 * absent or `false`, the answer is as without intervals and costs nothing more.
 *
 * @module
 */
import type { Context } from "hono";
import { apiError } from "../api_error.ts";
import type { ServeEnv } from "../app_env.ts";
import type { ServedModel } from "../../model/served_model.ts";

/** The query parameter's name. */
export const INTERVAL_PARAM = "interval";

/**
 * Whether the request asks for intervals, or the error answer when it asks wrongly
 * (a value other than `true` or `false`) or asks a model that has none.
 */
export function intervalOption(c: Context<ServeEnv>, model: ServedModel): boolean | Response {
  const value = c.req.query(INTERVAL_PARAM);
  if (value === undefined || value === "false") return false;
  if (value !== "true") {
    return apiError(
      c,
      422,
      "invalid_input",
      `the query parameter ${INTERVAL_PARAM} takes true or false`,
      {
        issues: [{
          path: `?${INTERVAL_PARAM}`,
          rule: "invalid",
          message: `expected true or false, got ${JSON.stringify(value.slice(0, 20))}`,
        }],
        issueCount: 1,
      },
    );
  }
  if (!model.bundle.intervals) {
    return apiError(
      c,
      422,
      "intervals_unavailable",
      `model ${model.identity.name} version ${model.identity.version} was trained without ` +
        "prediction intervals; ask without ?interval=true",
    );
  }
  return true;
}

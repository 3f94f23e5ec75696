/**
 * `POST /invocations`: MLflow's scoring-server API, so a client written for `mlflow
 * models serve` works unchanged. It takes MLflow's request formats (`dataframe_split`,
 * `dataframe_records`, `instances`, `inputs` as JSON, or `text/csv` with a header line)
 * and answers `{"predictions": [...]}` as MLflow 3 does. The rows are checked by the
 * same contract as `/predict/batch` and within the same limits; errors have the API's
 * own shape (422 with the issues, `$.rows[i]` being the request's i-th row). `GET /ping`
 * answers 200 once a model is loaded, as MLflow's does.
 *
 * @module
 */
import { Hono } from "hono";
import type { InvocationsResponse } from "../../contract/api_schemas.ts";
import { batchReport } from "../../contract/input_issues.ts";
import { csvBodyRows, mlflowJsonRows, type MlflowRows } from "../../contract/mlflow_inputs.ts";
import { parseJsonBody } from "../../contract/read_json.ts";
import { apiError } from "../api_error.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { limitBody } from "../middleware/body_limit.ts";
import { notReady } from "./not_ready.ts";
import { batchTooLarge, invalidInput, MAX_LISTED_ISSUES, recordServed } from "./predict.ts";

/** The media types `/invocations` reads. */
export const INVOCATIONS_MEDIA_TYPES = ["application/json", "text/csv"] as const;

/** The `/invocations` route, and `/ping`, which MLflow's clients poll until the model is up. */
export function invocationsRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { slot, limits, metrics } = deps;
  return new Hono<ServeEnv>().get("/ping", (c) => {
    if (!slot.model) return notReady(c, slot);
    return c.text("\n");
  }).post("/invocations", limitBody(limits.maxBodyBytes), async (c) => {
    const started = performance.now();
    const model = slot.model;
    if (!model) return notReady(c, slot);
    const [mediaType, ...parameters] = (c.req.header("content-type") ?? "").split(";")
      .map((part) => part.trim().toLowerCase());
    const charset = parameters.find((p) => p.startsWith("charset="))?.slice("charset=".length);
    if (
      !(INVOCATIONS_MEDIA_TYPES as readonly string[]).includes(mediaType) ||
      (charset !== undefined && charset.replaceAll('"', "") !== "utf-8")
    ) {
      return apiError(
        c,
        415,
        "unsupported_media_type",
        `content-type must be ${INVOCATIONS_MEDIA_TYPES.join(" or ")} (UTF-8), as MLflow's ` +
          `scoring server takes; got ${JSON.stringify(c.req.header("content-type") ?? "none")}`,
      );
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return apiError(c, 400, "malformed_json", `cannot read the body as UTF-8: ${reason}`);
    }
    const features = model.bundle.features.map((f) => f.name);
    let found: MlflowRows;
    if (mediaType === "text/csv") found = await csvBodyRows(text);
    else {
      // The project's JSON reader, as on /predict: bare NaN/Infinity (as Python's json
      // writes them) are read as numbers, for the contract to refuse by field with a 422.
      const parsed = parseJsonBody(text);
      if (!parsed.ok) {
        const reason = parsed.reason === "malformed" ? parsed.message : parsed.reason;
        return apiError(c, 400, "malformed_json", `the request body is not valid JSON: ${reason}`);
      }
      found = mlflowJsonRows(parsed.value, features);
    }
    if (!found.ok) return apiError(c, 400, "malformed_json", found.message);
    const { rows } = found;
    if (rows.length > limits.maxBatchRows) {
      return batchTooLarge(c, rows.length, limits.maxBatchRows);
    }
    const width = model.featureCount;
    const x = new Float64Array(rows.length * width);
    if (rows.length === 0 || !rows.every((row, i) => model.packRow(row, x, i * width))) {
      return invalidInput(c, batchReport(model.schemas, { rows }, MAX_LISTED_ISSUES), metrics);
    }
    const y = model.predict(x, rows.length);
    recordServed(deps, c, { model, inputs: rows, y, started });
    return c.json({ predictions: Array.from(y) } satisfies InvocationsResponse);
  });
}

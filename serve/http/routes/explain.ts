/**
 * `POST /explain?top=10`: one community's prediction with the base value and the `top`
 * features (default 10) that moved it most, each with its contribution, its value and
 * its description from the catalogue. The body is a feature row, exactly as for
 * `POST /predict` (same checks, same 422 answers); `top` is a query option so that the
 * body stays the contract's row.
 *
 * The contributions sum exactly to the model's unclipped output minus the base value
 * (`../../../pipeline/bundle/bundle_explainer.ts`); `prediction` is that output clipped
 * as `/predict` clips it. Explanations are not predictions served: they go neither to the
 * prediction log nor to the drift monitor. A model that cannot be explained (a bundle
 * written before explanations) is answered 409, naming why. The explainer is built on
 * the first request for each loaded model and kept with it.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { apiError } from "../api_error.ts";
import type { ExplanationResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import { rowReport } from "../../contract/input_issues.ts";
import { limitBody } from "../middleware/body_limit.ts";
import type { ServedModel } from "../../model/served_model.ts";
import { clipPrediction } from "../../../pipeline/bundle/prediction_range.ts";
import { notReady } from "./not_ready.ts";
import { invalidInput, MAX_LISTED_ISSUES, readBody } from "./predict.ts";
import {
  type BundleExplainer,
  createExplainer,
} from "../../../pipeline/bundle/bundle_explainer.ts";
import { loadModel } from "../../../pipeline/models/load_model.ts";
import { ExplanationUnavailableError } from "../../../pipeline/models/contributions.ts";

/** How many contributions an answer lists unless `top` says otherwise. */
export const DEFAULT_TOP = 10;

// One explainer per loaded model, built on first use; a reload brings a new model.
const explainers = new WeakMap<ServedModel, BundleExplainer | ExplanationUnavailableError>();

function explainerFor(model: ServedModel): BundleExplainer | ExplanationUnavailableError {
  let found = explainers.get(model);
  if (!found) {
    try {
      found = createExplainer(model.bundle, loadModel);
    } catch (error) {
      if (!(error instanceof ExplanationUnavailableError)) throw error;
      found = error;
    }
    explainers.set(model, found);
  }
  return found;
}

/** `top` from the query: an integer in [1, features], or the 422 answer. */
function topOf(c: Context<ServeEnv>, features: number): number | Response {
  const given = c.req.query("top");
  if (given === undefined) return Math.min(DEFAULT_TOP, features);
  const top = /^\d+$/.test(given) ? Number(given) : NaN;
  if (Number.isInteger(top) && top >= 1 && top <= features) return top;
  const rule = !Number.isInteger(top) ? "type" : top < 1 ? "minimum" : "maximum";
  const message = `top must be an integer from 1 to ${features} (the model's features), ` +
    `got ${JSON.stringify(given)}`;
  return apiError(c, 422, "invalid_input", `the query breaks the API: ${message}`, {
    issues: [{ path: "$query.top", rule, message }],
    issueCount: 1,
  });
}

/** The explanation route. */
export function explainRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { slot, limits, metrics } = deps;
  return new Hono<ServeEnv>().post("/explain", limitBody(limits.maxBodyBytes), async (c) => {
    const model = slot.model;
    if (!model) return notReady(c, slot);
    const top = topOf(c, model.featureCount);
    if (top instanceof Response) return top;
    const body = await readBody(c, model, {
      kind: "row",
      maxFields: model.featureCount + MAX_LISTED_ISSUES,
      maxRows: limits.maxBatchRows,
    });
    if (!body.ok) return body.response;
    const row = new Float64Array(model.featureCount);
    if (!model.packRow(body.value, row, 0)) {
      return invalidInput(c, rowReport(model.schemas, body.value, MAX_LISTED_ISSUES), metrics);
    }
    const explainer = explainerFor(model);
    if (explainer instanceof ExplanationUnavailableError) {
      return apiError(
        c,
        409,
        "explanation_unavailable",
        `the served model cannot be explained: ${explainer.message}`,
      );
    }
    const { base, output, contributions, standardError } = explainer.explain(row);
    if (!Number.isFinite(output)) throw new Error(`the model's output is ${output}`);
    const order = Array.from(contributions.keys())
      .sort((a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]) || a - b);
    const listed = order.slice(0, top);
    let other = 0;
    for (const j of order.slice(top)) other += contributions[j];
    const features = model.bundle.features;
    c.header("x-model-version", model.identity.version);
    return c.json(
      {
        prediction: clipPrediction(output),
        modelOutput: output,
        baseValue: base,
        contributions: listed.map((j) => ({
          feature: features[j].name,
          description: features[j].description,
          group: features[j].group,
          value: Number.isNaN(row[j]) ? null : row[j],
          contribution: contributions[j],
          ...(standardError ? { standardError: standardError[j] } : {}),
        })),
        otherContributions: other,
        modelName: model.identity.name,
        modelVersion: model.identity.version,
        requestId: c.get("requestId"),
      } satisfies ExplanationResponse,
    );
  });
}

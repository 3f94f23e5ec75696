/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas (request schemas
 * from the served bundle's features, response schemas from `../contract/api_schemas.ts`) with
 * `z.toJSONSchema`, so the documentation cannot drift from what the server checks.
 * Examples are built from the model's reference row.
 *
 * @module
 */
import { z } from "zod";
import {
  BatchPredictionResponseSchema,
  ErrorResponseSchema,
  ExplanationResponseSchema,
  HealthResponseSchema,
  InputIssueSchema,
  InvocationsResponseSchema,
  ModelInfoResponseSchema,
  PredictionResponseSchema,
  ReadyResponseSchema,
  ReloadResponseSchema,
} from "../contract/api_schemas.ts";
import { invocationsRequestSchema } from "../contract/mlflow_inputs.ts";
import { DistributionSchema, MonitoringResponseSchema } from "../monitoring/report_schema.ts";
import { feedbackRequestSchema, FeedbackResponseSchema } from "../feedback/feedback_schema.ts";
import type { RequestLimits } from "./app_env.ts";
import type { ServedModel } from "../model/served_model.ts";

/** A JSON object, as the document is built. */
type Json = Record<string, unknown>;

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

function components(registry: z.core.$ZodRegistry<{ id: string }>, io: "input" | "output"): Json {
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]),
  );
}

function jsonBody(schemaId: string, description: string, examples?: Json): Json {
  const content: Json = { schema: ref(schemaId) };
  if (examples) content.examples = examples;
  return { description, content: { "application/json": content } };
}

const traced = { "x-request-id": { $ref: "#/components/headers/RequestId" } };
const versioned = { ...traced, "x-model-version": { $ref: "#/components/headers/ModelVersion" } };

function withHeaders(response: Json, headers: Json): Json {
  return { ...response, headers };
}

/** An `ErrorResponse` body with the request id header, for one status. */
function errorResponse(description: string): Json {
  return withHeaders(jsonBody("ErrorResponse", description), traced);
}

function errors(...statuses: number[]): Json {
  const meaning: Record<number, string> = {
    400: "The body is not valid JSON.",
    401: "The admin token is missing or wrong.",
    403: "A web page of an origin not in the server's CORS allow-list sent the request.",
    413: "The body or the batch is larger than the server's limit (named in the answer).",
    409: "The served model cannot be explained (a bundle written before explanations).",
    415: "The request has a body that is not declared application/json.",
    422: "The body is JSON but breaks the input contract; `issues` lists every problem.",
    502: "The new model could not be loaded; the previous one is still served.",
    503: "No model is loaded yet.",
  };
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(meaning[s])]));
}

/** What the document says about the server's own configuration. */
export interface ApiOptions {
  /** Whether `POST /admin/reload` requires the admin token (declared as its security). */
  readonly adminToken: boolean;
}

/** The request schemas (from the served bundle) and the response schemas, by component id. */
function schemaRegistries(model: ServedModel, limits: RequestLimits) {
  const requests = z.registry<{ id: string }>();
  requests.add(model.schemas.row, { id: "FeatureRow" });
  requests.add(model.schemas.batch, { id: "BatchRequest" });
  requests.add(
    invocationsRequestSchema(model.bundle.features, model.schemas.row, limits.maxBatchRows),
    { id: "InvocationsRequest" },
  );
  requests.add(feedbackRequestSchema(limits.maxBatchRows), { id: "FeedbackRequest" });
  const responses = z.registry<{ id: string }>();
  responses.add(InputIssueSchema, { id: "InputIssue" });
  responses.add(ErrorResponseSchema, { id: "ErrorResponse" });
  responses.add(PredictionResponseSchema, { id: "PredictionResponse" });
  responses.add(BatchPredictionResponseSchema, { id: "BatchPredictionResponse" });
  responses.add(ExplanationResponseSchema, { id: "ExplanationResponse" });
  responses.add(InvocationsResponseSchema, { id: "InvocationsResponse" });
  responses.add(HealthResponseSchema, { id: "HealthResponse" });
  responses.add(ReadyResponseSchema, { id: "ReadyResponse" });
  responses.add(ModelInfoResponseSchema, { id: "ModelInfoResponse" });
  responses.add(MonitoringResponseSchema, { id: "MonitoringResponse" });
  responses.add(DistributionSchema, { id: "Distribution" });
  responses.add(ReloadResponseSchema, { id: "ReloadResponse" });
  responses.add(FeedbackResponseSchema, { id: "FeedbackResponse" });
  return { requests, responses };
}

/** The document's `info`: what the API predicts, from which model, within which limits. */
function info(model: ServedModel, limits: RequestLimits): Json {
  const { identity, bundle } = model;
  return {
    title: `${bundle.target} prediction API`,
    version: identity.version,
    description: [
      `Predicts ${bundle.target} (violent crimes per 100K population, normalised to [0, 1]) ` +
      `for one US community from its ${model.featureCount} socio-economic, law-enforcement ` +
      "and crime-related features, each a number in [0, 1].",
      `Serving model ${identity.name} version ${identity.version} (${bundle.family}).`,
      "Every feature is required. A feature marked nullable (it had missing values in the " +
      "training data) also accepts null, which the model imputes with the training median. " +
      "Unknown fields, wrong types, NaN or infinite values and values out of range are " +
      "rejected with 422 and a list of issues, each naming the field's JSONPath and the " +
      "rule it breaks.",
      "Predictions are clipped to [0, 1], the target's range.",
      `Limits: request bodies up to ${limits.maxBodyBytes} bytes and batches up to ` +
      `${limits.maxBatchRows} rows; beyond either, 413.`,
      "Every response carries an `x-request-id` header (echoed when the request sent a " +
      "valid one); prediction responses also carry `x-model-version`.",
    ].join("\n\n"),
  };
}

/** The `interval` query parameter of both prediction routes. */
const intervalParameter: Json = {
  name: "interval",
  in: "query",
  required: false,
  description: "true: also answer each prediction's conformal prediction interval (`lower`, " +
    "`upper`, clipped to [0, 1], at coverage `intervalLevel`, calibrated on out-of-fold " +
    "residuals per racial-composition quartile); a model trained without intervals answers " +
    "422 intervals_unavailable. Absent or false: no interval.",
  schema: { type: "string", enum: ["true", "false"], default: "false" },
  examples: {
    withInterval: {
      summary: "Prediction with its 90% interval",
      value: "true",
      description:
        'e.g. {"prediction": 0.21, "lower": 0.05, "upper": 0.43, "intervalLevel": 0.9, ...}',
    },
  },
};

/** `POST /predict` and `POST /predict/batch`, with the reference row and a broken one. */
function predictionPaths(model: ServedModel): Json {
  const row = model.referenceRow;
  const [first, second] = model.bundle.features;
  const badRow = { ...row, [first.name]: 1.5, unknownFeature: 0.2 };
  delete (badRow as Json)[second.name];
  return {
    "/predict": {
      post: {
        summary: "Predict one community",
        operationId: "predict",
        parameters: [intervalParameter],
        requestBody: {
          required: true,
          ...jsonBody("FeatureRow", "One community's features.", {
            reference: { summary: "A typical community (training medians)", value: row },
            invalid: { summary: "An invalid row: answered with 422", value: badRow },
          }),
        },
        responses: {
          200: withHeaders(jsonBody("PredictionResponse", "The prediction."), versioned),
          ...errors(400, 413, 422, 503),
        },
      },
    },
    "/predict/batch": {
      post: {
        summary: "Predict many communities",
        operationId: "predictBatch",
        parameters: [intervalParameter],
        requestBody: {
          required: true,
          ...jsonBody("BatchRequest", "The communities, in order.", {
            twoRows: { summary: "Two communities", value: { rows: [row, row] } },
          }),
        },
        responses: {
          200: withHeaders(
            jsonBody("BatchPredictionResponse", "One prediction per row, in order."),
            versioned,
          ),
          ...errors(400, 413, 422, 503),
        },
      },
    },
  };
}

/** `POST /explain`, with the reference row. */
function explainPaths(model: ServedModel): Json {
  const features = model.featureCount;
  return {
    "/explain": {
      post: {
        summary: "Explain one community's prediction",
        description: "The prediction with the model's base value and the features that moved " +
          "it most: baseValue plus every feature's contribution is modelOutput exactly " +
          "(contributions not listed are summed in otherContributions). Exact for linear " +
          "models and boosted trees (path-dependent TreeSHAP); the neural network's are " +
          "sampled Shapley values, each with its standard error; an ensemble's are its " +
          "members' weighted sum. The body is a feature row, as for /predict.",
        operationId: "explain",
        parameters: [{
          name: "top",
          in: "query",
          required: false,
          description: `How many contributions to list, largest first (1 to ${features}).`,
          schema: { type: "integer", minimum: 1, maximum: features, default: 10 },
        }],
        requestBody: {
          required: true,
          ...jsonBody("FeatureRow", "One community's features.", {
            reference: {
              summary: "A typical community (training medians)",
              value: model.referenceRow,
            },
          }),
        },
        responses: {
          200: withHeaders(
            jsonBody("ExplanationResponse", "The prediction and its largest contributions."),
            versioned,
          ),
          ...errors(400, 409, 413, 422, 503),
        },
      },
    },
  };
}

/** `POST /invocations` (MLflow's scoring API) and `GET /ping`, with every format's example. */
function invocationsPaths(model: ServedModel): Json {
  const row = model.referenceRow;
  const names = model.bundle.features.map((f) => f.name);
  const values = names.map((name) => row[name]);
  const example = (summary: string, value: unknown) => ({ summary, value });
  return {
    "/invocations": {
      post: {
        summary: "Predict as MLflow's scoring server does",
        description: "The request formats and answer of `mlflow models serve`, so its " +
          "clients work unchanged. Rows are checked by the same contract and limits as " +
          "/predict/batch; issues name the request's i-th row `$.rows[i]`. A `text/csv` " +
          "body has a header line of feature names; an empty cell or `?` is null.",
        operationId: "invocations",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("InvocationsRequest"),
              examples: {
                dataframe_split: example("Columns and rows (pandas' split orient)", {
                  dataframe_split: { columns: names, data: [values] },
                }),
                dataframe_records: example("One object per row", { dataframe_records: [row] }),
                instances: example("Rows as arrays, in feature order", { instances: [values] }),
                inputs: example(
                  "One array per feature",
                  { inputs: Object.fromEntries(names.map((name) => [name, [row[name]]])) },
                ),
              },
            },
            "text/csv": {
              schema: { type: "string" },
              example: `${names.join(",")}\n${values.map((v) => v ?? "").join(",")}\n`,
            },
          },
        },
        responses: {
          200: withHeaders(
            jsonBody("InvocationsResponse", "One prediction per row, in order."),
            versioned,
          ),
          400: errorResponse(
            "The body is not JSON or CSV, or not one of MLflow's formats; the message says why.",
          ),
          ...errors(413, 422, 503),
          415: errorResponse("The content type is neither application/json nor text/csv (UTF-8)."),
        },
      },
    },
    "/ping": {
      get: {
        summary: "MLflow's readiness probe: 200 once a model is loaded",
        operationId: "ping",
        responses: {
          200: {
            description: "A model is loaded.",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          ...errors(503),
        },
      },
    },
  };
}

/** `GET /model/info`. */
function modelPaths(): Json {
  return {
    "/model/info": {
      get: {
        summary: "The model being served",
        operationId: "modelInfo",
        responses: {
          200: withHeaders(
            jsonBody("ModelInfoResponse", "Identity, metrics and features."),
            traced,
          ),
          ...errors(503),
        },
      },
    },
  };
}

/** `POST /feedback`, with every way a request can be turned away whole. */
function feedbackPaths(): Json {
  return {
    "/feedback": {
      post: {
        summary: "Observed values for earlier predictions",
        description: "Names each prediction by its response's `x-request-id` and its row " +
          "(0 for /predict). All values of a request are recorded, or none, and the answer " +
          "says which rows were in the way. The pairs give the realised error in " +
          "/monitoring and /metrics.",
        operationId: "feedback",
        requestBody: {
          required: true,
          ...jsonBody("FeedbackRequest", "The observed values.", {
            one: {
              summary: "One observed value",
              value: {
                actuals: [{
                  requestId: "3f1e0c52-9d1b-4c1e-8a53-0c3d2b7c9e41",
                  row: 0,
                  actual: 0.21,
                }],
              },
            },
          }),
        },
        responses: {
          200: withHeaders(jsonBody("FeedbackResponse", "Recorded."), traced),
          ...errors(400, 422),
          413: errorResponse(
            "The body is larger than 512 bytes per value of the batch limit allows, or " +
              "than the body limit; the answer names the limit.",
          ),
          404: errorResponse(
            "Some rows were never predicted by this server, or were pruned; nothing recorded.",
          ),
          409: errorResponse(
            "Some rows already have a different observed value; nothing recorded.",
          ),
          410: errorResponse(
            "Some rows were predicted longer ago than the feedback window; nothing recorded.",
          ),
          503: errorResponse("The server keeps no feedback (--feedback-store off)."),
        },
      },
    },
  };
}

/** `GET /monitoring` and `GET /monitoring/distribution`, whose example is `feature`. */
function monitoringPaths(feature: string): Json {
  return {
    "/monitoring": {
      get: {
        summary: "Drift and data quality of recent traffic against the training data",
        operationId: "monitoring",
        responses: {
          200: withHeaders(
            jsonBody("MonitoringResponse", "Both windows, features most drifted first."),
            traced,
          ),
          ...errors(503),
        },
      },
    },
    "/monitoring/distribution": {
      get: {
        summary: "One feature's training histogram against a recent window",
        operationId: "monitoringDistribution",
        parameters: [
          {
            name: "feature",
            in: "query",
            required: true,
            description: "A feature's name, or prediction.",
            schema: { type: "string", minLength: 1 },
            example: feature,
          },
          {
            name: "window",
            in: "query",
            required: false,
            schema: { type: "string", enum: ["rows", "minutes"], default: "rows" },
          },
        ],
        responses: {
          200: withHeaders(jsonBody("Distribution", "Counts per bin, training and now."), traced),
          404: errorResponse("No monitored feature has that name."),
          ...errors(422, 503),
        },
      },
    },
  };
}

/** `GET /health`, `GET /ready` and `GET /metrics`, for probes and scrapers. */
function probePaths(): Json {
  return {
    "/health": {
      get: {
        summary: "Liveness: the process answers",
        operationId: "health",
        responses: { 200: jsonBody("HealthResponse", "Alive.") },
      },
    },
    "/ready": {
      get: {
        summary: "Readiness: a model is loaded",
        operationId: "ready",
        responses: {
          200: jsonBody("ReadyResponse", "Ready to predict."),
          503: jsonBody("ReadyResponse", "No model loaded yet; `reason` says why."),
        },
      },
    },
    "/metrics": {
      get: {
        summary: "Prometheus metrics",
        operationId: "metrics",
        responses: {
          200: {
            description: "Request counts and latencies by route and status, predictions, model.",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
  };
}

/** `POST /admin/reload`: behind the admin token if there is one, else loopback pages only. */
function adminPaths(options: ApiOptions): Json {
  return {
    "/admin/reload": {
      post: {
        summary: "Reload the model from its source",
        description: "Fetches and checks the source's current bundle and swaps it in; on " +
          "failure the current model stays and the reason is reported.",
        operationId: "reload",
        ...(options.adminToken ? { security: [{ adminToken: [] }] } : {}),
        responses: {
          200: withHeaders(jsonBody("ReloadResponse", "Reloaded, or already current."), traced),
          ...(options.adminToken ? errors(401, 415, 502) : errors(403, 415, 502)),
        },
      },
    },
  };
}

/** The shared `components`: schemas, response headers and the admin token's scheme. */
function sharedComponents(
  { requests, responses }: ReturnType<typeof schemaRegistries>,
  options: ApiOptions,
): Json {
  return {
    schemas: { ...components(requests, "input"), ...components(responses, "output") },
    headers: {
      RequestId: { description: "The request's id.", schema: { type: "string" } },
      ModelVersion: {
        description: "The version of the model that answered.",
        schema: { type: "string" },
      },
    },
    ...(options.adminToken
      ? {
        securitySchemes: {
          adminToken: {
            type: "http",
            scheme: "bearer",
            description: "The admin token the server was started with (SERVE_ADMIN_TOKEN).",
          },
        },
      }
      : {}),
  };
}

/**
 * Builds the OpenAPI document for a served model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSource } from "../model/model_source_file.ts";
 * import { createServedModel } from "../model/served_model.ts";
 * import { openApiDocument } from "./openapi.ts";
 *
 * const fetched = await fileSource("examples/model_bundle.json").fetch();
 * const model = createServedModel(fetched!, { maxBatchRows: 1000 });
 * const doc = openApiDocument(model, { maxBodyBytes: 8 << 20, maxBatchRows: 1000 }, {
 *   adminToken: true,
 * });
 * assert.equal(doc.openapi, "3.1.0");
 * assert.ok("/predict" in (doc.paths as Record<string, unknown>));
 * ```
 */
export function openApiDocument(
  model: ServedModel,
  limits: RequestLimits,
  options: ApiOptions = { adminToken: false },
): Json {
  const registries = schemaRegistries(model, limits);
  return {
    openapi: "3.1.0",
    info: info(model, limits),
    paths: {
      ...predictionPaths(model),
      ...explainPaths(model),
      ...invocationsPaths(model),
      ...modelPaths(),
      ...feedbackPaths(),
      ...monitoringPaths(model.bundle.features[0].name),
      ...probePaths(),
      ...adminPaths(options),
    },
    components: sharedComponents(registries, options),
  };
}

/**
 * `POST /predict` (one community) and `POST /predict/batch` (`{ rows: [...] }`). Rows are
 * checked and packed by the model's fast row check; only a rejected body goes through
 * the zod schema, which lists its problems for the 422 answer (the first 100 of them; the
 * rest are counted). A plain valid batch is read from its bytes straight into packed
 * rows (`../../contract/batch_reader.ts`) and never parsed into objects.
 *
 * What a body costs is bounded by its size: it is scanned once (`../../contract/json_scan.ts`), only the
 * parts the schema reads are parsed, and a row or batch body with more members than any
 * valid one could have (features + 100) or a batch over the row limit is refused unparsed.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { apiError } from "../api_error.ts";
import type { BatchPredictionResponse, PredictionResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import type { ServeMetrics } from "../../telemetry/serve_metrics.ts";
import { batchReport, type IssueReport, jsonPath, rowReport } from "../../contract/input_issues.ts";
import { limitBody } from "../middleware/body_limit.ts";
import { parseJsonBody, type ScanShape } from "../../contract/read_json.ts";
import { rowSpans } from "../../contract/row_spans.ts";
import type { ServedModel } from "../../model/served_model.ts";
import { notReady } from "./not_ready.ts";
import { intervalOption } from "./interval_option.ts";

/** Most issues listed in one 422 answer; `issueCount` gives the total. */
export const MAX_LISTED_ISSUES = 100;

/** A read body, or the answer to its failure. */
export type Parsed = { ok: true; value: unknown; bytes: Uint8Array } | {
  ok: false;
  response: Response;
};

/** A request body's bytes, or the answer to a failure to read them. */
export type ReadBytes = { ok: true; bytes: Uint8Array } | { ok: false; response: Response };

/** Reads a body's bytes, less a byte-order mark; the failure is the answer to send. */
export async function readBytes(c: Context<ServeEnv>): Promise<ReadBytes> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      response: apiError(c, 400, "malformed_json", `cannot read the body: ${reason}`),
    };
  }
  // A byte-order mark is not JSON; without it the bytes are the body's JSON, as logged.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  return { ok: true, bytes };
}

/** Reads and scans a JSON body; the failure is the answer to send. */
export async function readBody(
  c: Context<ServeEnv>,
  model: ServedModel,
  shape: ScanShape,
): Promise<Parsed> {
  const read = await readBytes(c);
  return read.ok ? parseBody(c, model, shape, read.bytes) : read;
}

/** Scans and parses a read body; the failure is the answer to send. */
function parseBody(
  c: Context<ServeEnv>,
  model: ServedModel,
  shape: ScanShape,
  bytes: Uint8Array,
): Parsed {
  const parsed = parseJsonBody(bytes, shape);
  if (parsed.ok) return { ok: true, value: parsed.value, bytes };
  switch (parsed.reason) {
    case "malformed": {
      const message = `the request body is not valid JSON: ${parsed.message}`;
      return { ok: false, response: apiError(c, 400, "malformed_json", message) };
    }
    case "too_many_rows":
      return { ok: false, response: batchTooLarge(c, parsed.rows, shape.maxRows) };
    case "too_many_fields":
      return { ok: false, response: tooManyFields(c, model, shape, parsed.path) };
  }
}

/** The 413 answer to a batch of `rows` rows over the server's `limit`. */
export function batchTooLarge(c: Context<ServeEnv>, rows: number, limit: number): Response {
  return apiError(
    c,
    413,
    "batch_too_large",
    `the batch has ${rows} rows; the server's limit is ${limit} rows`,
    { limit },
  );
}

/** The answer to an object too big to check field by field: one issue, at the object. */
function tooManyFields(
  c: Context<ServeEnv>,
  model: ServedModel,
  shape: ScanShape,
  path: readonly (string | number)[],
): Response {
  const where = jsonPath(path);
  const expected = shape.kind === "batch" && path.length === 0
    ? "a batch body has one, rows"
    : `a row has ${model.featureCount} features`;
  return apiError(
    c,
    422,
    "invalid_input",
    `the request body breaks the input contract: ${where} has too many fields to check`,
    {
      issues: [{
        path: where,
        rule: "invalid",
        message: `more than ${shape.maxFields} fields, where ${expected}: the rest are unknown ` +
          "or repeated; not checked further",
      }],
      issueCount: 1,
    },
  );
}

/** The 422 answer listing a rejected body's problems, counted in the metrics by rule. */
export function invalidInput(
  c: Context<ServeEnv>,
  report: IssueReport,
  metrics: ServeMetrics,
): Response {
  const { issues, count } = report;
  // Each rule once per request: the listed issues stop at 100, so only their rules are
  // known, and a request of 1000 bad rows would otherwise outweigh a thousand clients.
  for (const rule of new Set(issues.map((issue) => issue.rule))) {
    metrics.inputRejections.inc([rule]);
  }
  if (count === 0) {
    // The row check and the schema are tested to agree; reaching this is a bug.
    throw new Error("the row check rejected a body that the input schema accepts");
  }
  return apiError(
    c,
    422,
    "invalid_input",
    `the request body breaks the input contract in ${count} place${count === 1 ? "" : "s"}`,
    { issues, issueCount: count },
  );
}

/** What was predicted for a request, for {@linkcode recordServed}. */
export interface Served {
  readonly model: ServedModel;
  /** The rows as parsed; only needed without `inputJson` (see `PredictionEntry`). */
  readonly inputs?: readonly unknown[];
  readonly y: Float64Array;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
  /** The rows' JSON as sent, when the log can take it as is. */
  readonly inputJson?: Uint8Array;
  readonly inputSpans?: Int32Array;
  /** Whether `inputJson` holds a line break, if known (see `PredictionEntry`). */
  readonly inputLineBreaks?: boolean;
}

/**
 * Counts and logs predictions, queues them for feedback and sets `x-model-version`: what
 * every prediction route does once it has predicted.
 */
export function recordServed(deps: AppDeps, c: Context<ServeEnv>, served: Served): void {
  const { model, inputs, y, started, inputJson, inputSpans, inputLineBreaks } = served;
  const { name, version } = model.identity;
  deps.metrics.predictions.inc([version], y.length);
  const now = Date.now();
  deps.feedback?.recorder.record(c.get("requestId"), y, version, now);
  deps.predictions.record({
    time: now,
    requestId: c.get("requestId"),
    modelName: name,
    modelVersion: version,
    inputs,
    inputJson,
    inputSpans,
    inputLineBreaks,
    predictions: y,
    latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
  c.header("x-model-version", version);
}

/** The `rows` array of an object body, or `undefined`. */
function rowsOf(body: unknown): unknown[] | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const rows = (body as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : undefined;
}

/** Whether an object body has no key besides `rows`. */
function onlyRows(body: object): boolean {
  let keys = 0;
  for (const _ in body) keys++;
  return keys === 1;
}

/** The prediction routes. */
export function predictRoutes(deps: AppDeps): Hono<ServeEnv> {
  const { slot, limits, metrics } = deps;
  const served = (
    c: Context<ServeEnv>,
    model: ServedModel,
    inputs: readonly unknown[] | undefined,
    y: Float64Array,
    started: number,
    inputJson?: Uint8Array,
    inputSpans?: Int32Array,
    inputLineBreaks?: boolean,
  ) =>
    recordServed(deps, c, {
      model,
      inputs,
      y,
      started,
      inputJson,
      inputSpans,
      inputLineBreaks,
    });

  // Objects the schema walks into may have up to this many members more than a row has
  // features: enough to list 100 unknown ones field by field.
  const shapeOf = (model: ServedModel, kind: ScanShape["kind"]): ScanShape => ({
    kind,
    maxFields: model.featureCount + MAX_LISTED_ISSUES,
    maxRows: limits.maxBatchRows,
  });

  return new Hono<ServeEnv>()
    .post("/predict", limitBody(limits.maxBodyBytes), async (c) => {
      const started = performance.now();
      const model = slot.model;
      if (!model) return notReady(c, slot);
      const interval = intervalOption(c, model);
      if (interval instanceof Response) return interval;
      const body = await readBody(c, model, shapeOf(model, "row"));
      if (!body.ok) return body.response;
      // With an interval the row is packed here, since its bounds need its features.
      const x = interval ? new Float64Array(model.featureCount) : undefined;
      const y = x
        ? (model.packRow(body.value, x, 0) ? model.predict(x, 1) : undefined)
        : model.predictRow(body.value);
      if (!y) {
        return invalidInput(c, rowReport(model.schemas, body.value, MAX_LISTED_ISSUES), metrics);
      }
      // A valid row body has no NaN literal (those fail the row check), so its bytes
      // are the row's JSON, ready for the log.
      served(c, model, [body.value], y, started, body.bytes);
      const bounds = x && model.bounds(x, 1, y);
      return c.json(
        {
          prediction: y[0],
          ...(bounds
            ? {
              lower: bounds.lower[0],
              upper: bounds.upper[0],
              intervalLevel: model.bundle.intervals?.level,
            }
            : {}),
          modelName: model.identity.name,
          modelVersion: model.identity.version,
          requestId: c.get("requestId"),
        } satisfies PredictionResponse,
      );
    })
    .post("/predict/batch", limitBody(limits.maxBodyBytes), async (c) => {
      const started = performance.now();
      const model = slot.model;
      if (!model) return notReady(c, slot);
      const interval = intervalOption(c, model);
      if (interval instanceof Response) return interval;
      const read = await readBytes(c);
      if (!read.ok) return read.response;
      // Most batches are plain valid records: read straight from the bytes into packed
      // rows. Anything else takes the general path, which names what is wrong with it.
      const fast = model.readBatch(read.bytes);
      let x: Float64Array;
      let count: number;
      let y: Float64Array;
      if (fast) {
        ({ x, rows: count } = fast);
        y = model.predict(x, count);
        served(c, model, undefined, y, started, read.bytes, fast.spans, fast.lineBreaks);
      } else {
        const body = parseBody(c, model, shapeOf(model, "batch"), read.bytes);
        if (!body.ok) return body.response;
        const rows = rowsOf(body.value);
        if (rows && rows.length > limits.maxBatchRows) {
          return batchTooLarge(c, rows.length, limits.maxBatchRows);
        }
        const width = model.featureCount;
        x = new Float64Array((rows?.length ?? 0) * width);
        const valid = rows !== undefined && rows.length > 0 && onlyRows(body.value as object) &&
          rows.every((row, i) => model.packRow(row, x, i * width));
        if (!valid) {
          return invalidInput(
            c,
            batchReport(model.schemas, body.value, MAX_LISTED_ISSUES),
            metrics,
          );
        }
        count = rows.length;
        y = model.predict(x, count);
        const spans = rowSpans(body.bytes, count);
        served(c, model, rows, y, started, spans && body.bytes, spans);
      }
      const bounds = interval ? model.bounds(x, count, y) : undefined;
      return c.json(
        {
          predictions: Array.from(y),
          ...(bounds
            ? {
              lower: Array.from(bounds.lower),
              upper: Array.from(bounds.upper),
              intervalLevel: model.bundle.intervals?.level,
            }
            : {}),
          count: y.length,
          modelName: model.identity.name,
          modelVersion: model.identity.version,
          requestId: c.get("requestId"),
        } satisfies BatchPredictionResponse,
      );
    });
}

/**
 * The request formats of MLflow's scoring server (`mlflow models serve`, `POST
 * /invocations`), turned into the rows the input contract checks: `dataframe_split`
 * (columns and rows of values), `dataframe_records` (one object per row), `instances`
 * (objects, or arrays of values in feature order), `inputs` (the same, or one array per
 * column) and CSV with a header line. Shapes that are not one of these are refused with
 * a reason; the values themselves are left to the contract, as `/predict/batch` does.
 *
 * @module
 */
import { z } from "zod";
import type { FeatureSpec } from "../../pipeline/bundle/bundle_schema.ts";
import { cellValue } from "./cell_value.ts";
import { featureValueSchema } from "./input_schemas.ts";
import { csvRecords, namesColumns } from "./csv_records.ts";

/** The JSON keys of MLflow's request formats. */
export const MLFLOW_FORMATS = [
  "dataframe_split",
  "dataframe_records",
  "instances",
  "inputs",
] as const;

/**
 * The JSON request of `/invocations`, for the OpenAPI document: one of MLflow's formats,
 * with 1 to `maxRows` rows, each row as the contract's `row` schema or as an array of
 * one value per feature. JSON Schema cannot say all the contract says here (positional
 * values take their rules from their column), so a request valid by this schema may
 * still be answered 422, naming the value.
 */
export function invocationsRequestSchema(
  features: readonly FeatureSpec[],
  row: z.ZodType,
  maxRows: number,
): z.ZodType {
  const n = features.length;
  const names = features.map((f) => f.name) as [string, ...string[]];
  const value = z.number().nullable();
  const positional = z.array(value).length(n).describe("One value per feature, in feature order.");
  const rows = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(maxRows);
  const params = z.strictObject({}).optional().describe("Accepted empty: no parameters.");
  return z.union([
    z.strictObject({
      dataframe_split: z.strictObject({
        columns: z.array(z.enum(names)).length(n).meta({ uniqueItems: true }).optional()
          .describe("The feature names in any order; without them, values are in feature order."),
        index: z.array(z.unknown()).optional().describe("Row labels; ignored."),
        data: rows(positional).describe("One array of values per row, in `columns` order."),
      }),
      params,
    }).describe("pandas' split orient: column names and rows of values."),
    z.strictObject({ dataframe_records: rows(row), params })
      .describe("pandas' records orient: one object per row."),
    z.strictObject({ instances: rows(z.union([row, positional])), params })
      .describe("TF Serving's row format: objects, or arrays in feature order."),
    z.strictObject({
      inputs: z.union([
        rows(z.union([row, positional])),
        z.strictObject(
          Object.fromEntries(features.map((f) => [f.name, rows(featureValueSchema(f))])),
        ).describe("One array of values per feature, all of the same length."),
      ]),
      params,
    }).describe("TF Serving's columnar format: rows as `instances`, or one array per feature."),
  ]);
}

/** Rows found in a request, or why the request has none. */
export type MlflowRows =
  | { readonly ok: true; readonly rows: unknown[] }
  | { readonly ok: false; readonly message: string };

const refuse = (message: string): MlflowRows => ({ ok: false, message });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The rows of a JSON request body, each as an object of feature values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mlflowJsonRows } from "./mlflow_inputs.ts";
 *
 * const features = ["population", "medIncome"];
 * const split = { dataframe_split: { columns: ["medIncome", "population"], data: [[0.2, 0.1]] } };
 * assert.deepEqual(mlflowJsonRows(split, features), {
 *   ok: true,
 *   rows: [{ medIncome: 0.2, population: 0.1 }],
 * });
 * assert.deepEqual(mlflowJsonRows({ instances: [[0.1, 0.2]] }, features), {
 *   ok: true,
 *   rows: [{ population: 0.1, medIncome: 0.2 }],
 * });
 * assert.equal(mlflowJsonRows({ rows: [] }, features).ok, false);
 * ```
 */
export function mlflowJsonRows(body: unknown, features: readonly string[]): MlflowRows {
  const formats = MLFLOW_FORMATS.join(", ");
  if (!isObject(body)) return refuse(`the body must be a JSON object with one of ${formats}`);
  const keys = Object.keys(body);
  const given = keys.filter((key) => (MLFLOW_FORMATS as readonly string[]).includes(key));
  const others = keys.filter((key) => !given.includes(key) && key !== "params");
  if (given.length !== 1 || others.length > 0) {
    const found = keys.length === 0
      ? "none"
      : keys.slice(0, 10).map((k) => JSON.stringify(k)).join(", ");
    return refuse(`the body must have exactly one of ${formats} (found: ${found})`);
  }
  const params = body.params;
  if (params !== undefined && !(isObject(params) && Object.keys(params).length === 0)) {
    return refuse("params: this model takes no inference parameters");
  }
  const format = given[0] as typeof MLFLOW_FORMATS[number];
  const value = body[format];
  switch (format) {
    case "dataframe_split":
      return splitRows(value, features);
    case "dataframe_records":
      if (!Array.isArray(value)) return refuse("dataframe_records must be an array of row objects");
      return { ok: true, rows: value };
    case "instances":
      return listRows("instances", value, features);
    case "inputs":
      return isObject(value) ? columnRows(value) : listRows("inputs", value, features);
  }
}

function splitRows(value: unknown, features: readonly string[]): MlflowRows {
  if (!isObject(value)) {
    return refuse('dataframe_split must be an object: {"columns": [...], "data": [[...], ...]}');
  }
  const { columns, data, index } = value;
  if (!Array.isArray(data)) return refuse("dataframe_split.data must be an array of rows");
  if (index !== undefined && !Array.isArray(index)) {
    return refuse("dataframe_split.index must be an array (its values are ignored)");
  }
  const unknown = Object.keys(value).filter((k) => !["columns", "data", "index"].includes(k));
  if (unknown.length > 0) {
    return refuse(`dataframe_split takes columns, data and index only (found: ${unknown[0]})`);
  }
  if (
    columns !== undefined &&
    !(Array.isArray(columns) && columns.every((c) => typeof c === "string"))
  ) {
    return refuse("dataframe_split.columns must be an array of column names");
  }
  const names = (columns as string[] | undefined) ?? features;
  const rows: unknown[] = [];
  for (let i = 0; i < data.length; i++) {
    const values = data[i];
    if (!Array.isArray(values) || values.length !== names.length) {
      return refuse(
        `dataframe_split.data[${i}] must be an array of ${names.length} values, one per ` +
          (columns ? "column" : "feature, in the order of /model/info"),
      );
    }
    rows.push(Object.fromEntries(names.map((name, j) => [name, values[j]])));
  }
  return { ok: true, rows };
}

/** Rows as objects, or as arrays of values in feature order. */
function listRows(key: string, value: unknown, features: readonly string[]): MlflowRows {
  if (!Array.isArray(value)) return refuse(`${key} must be an array of rows`);
  const rows: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const row = value[i];
    if (!Array.isArray(row)) {
      rows.push(row);
      continue;
    }
    if (row.length !== features.length) {
      return refuse(
        `${key}[${i}] has ${row.length} values; a row given as an array has one per feature ` +
          `(${features.length}), in the order of /model/info`,
      );
    }
    rows.push(Object.fromEntries(features.map((name, j) => [name, row[j]])));
  }
  return { ok: true, rows };
}

/** `{"inputs": {"feature": [values...], ...}}`: one array per column. */
function columnRows(columns: Record<string, unknown>): MlflowRows {
  const names = Object.keys(columns);
  let length: number | undefined;
  for (const name of names) {
    const values = columns[name];
    if (!Array.isArray(values)) return refuse(`inputs.${name} must be an array of values`);
    length ??= values.length;
    if (values.length !== length) return refuse("inputs: every column must have as many values");
  }
  const rows = Array.from(
    { length: length ?? 0 },
    (_, i) => Object.fromEntries(names.map((name) => [name, (columns[name] as unknown[])[i]])),
  );
  return { ok: true, rows };
}

/**
 * The rows of a CSV body with a header line; an empty cell or `?` is null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvBodyRows } from "./mlflow_inputs.ts";
 *
 * assert.deepEqual(await csvBodyRows("population,medIncome\n0.1,\n"), {
 *   ok: true,
 *   rows: [{ population: 0.1, medIncome: null }],
 * });
 * ```
 */
export async function csvBodyRows(text: string): Promise<MlflowRows> {
  let header: string[] | undefined;
  const rows: unknown[] = [];
  for await (const record of csvRecords([text])) {
    if ("error" in record) return refuse(`CSV line ${record.line}: ${record.error}`);
    if (!header) {
      if (!namesColumns(record.fields)) {
        return refuse("CSV line 1 holds no column names: the first line must name the columns");
      }
      header = record.fields.map((name) => name.trim());
      continue;
    }
    if (record.fields.length !== header.length) {
      return refuse(
        `CSV line ${record.line}: ${record.fields.length} fields where the header has ${header.length}`,
      );
    }
    const fields = record.fields;
    rows.push(Object.fromEntries(header.map((name, j) => [name, cellValue(fields[j])])));
  }
  if (!header) return refuse("the CSV body is empty: a header line of column names is needed");
  return { ok: true, rows };
}

/**
 * Hyper-parameters as MLflow params: one param per hyper-parameter, under the name the
 * family's params schema (and `config/params.yaml`) gives it (`alpha`, `maxDepth`), so
 * that the UI can sort, filter and compare runs by it. MLflow params are text: numbers
 * are written as JavaScript prints them, lists as JSON, nested settings flattened with
 * dots.
 *
 * @module
 */

/** The text MLflow records for one value. */
function paramText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "null";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Hyper-parameters as flat MLflow params.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hyperParams } from "./mlflow_params.ts";
 *
 * assert.deepEqual(
 *   hyperParams({ alpha: 0.3, hiddenLayers: [32, 16], activation: "relu", opt: { lr: 0.01 } }),
 *   { alpha: "0.3", hiddenLayers: "[32,16]", activation: "relu", "opt.lr": "0.01" },
 * );
 * ```
 */
export function hyperParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const flat: Record<string, string> = {};
  const visit = (value: unknown, key: string) => {
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`);
    } else {
      flat[key] = paramText(value);
    }
  };
  for (const [key, value] of Object.entries(params)) visit(value, key);
  return flat;
}

/** What the outer folds of a cross-validation chose, as params of the candidate's run. */
export interface FoldChoices {
  /** Each hyper-parameter's value chosen by the most folds (the earliest fold's on a tie). */
  readonly params: Record<string, string>;
  /** The hyper-parameters the folds did not all choose alike, sorted. */
  readonly varying: readonly string[];
  /** Each fold's choice of the varying hyper-parameters, by fold id. */
  readonly byFold: Readonly<Record<string, Record<string, string>>>;
}

/**
 * The hyper-parameters a candidate's outer folds chose (each fold tunes on its own
 * training rows, so they may differ), summarised as one value per hyper-parameter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldChoices } from "./mlflow_params.ts";
 *
 * const choices = foldChoices([
 *   { fold: 1, params: { alpha: 3, fitIntercept: true } },
 *   { fold: 2, params: { alpha: 10, fitIntercept: true } },
 *   { fold: 3, params: { alpha: 3, fitIntercept: true } },
 * ]);
 * assert.deepEqual(choices.params, { alpha: "3", fitIntercept: "true" });
 * assert.deepEqual(choices.varying, ["alpha"]);
 * assert.deepEqual(choices.byFold, { 1: { alpha: "3" }, 2: { alpha: "10" }, 3: { alpha: "3" } });
 * ```
 */
export function foldChoices(
  folds: readonly { readonly fold: number; readonly params: Readonly<Record<string, unknown>> }[],
): FoldChoices {
  const perFold = folds.map((f) => ({ fold: f.fold, params: hyperParams(f.params) }));
  const keys = [...new Set(perFold.flatMap((f) => Object.keys(f.params)))];
  const params: Record<string, string> = {};
  const varying: string[] = [];
  for (const key of keys) {
    const counts = new Map<string, number>();
    for (const f of perFold) {
      const value = f.params[key];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    // Map keeps insertion order, so the first maximum is the earliest fold's value.
    let best: [string, number] = ["", 0];
    for (const entry of counts) if (entry[1] > best[1]) best = entry;
    params[key] = best[0];
    if (counts.size > 1 || best[1] < perFold.length) varying.push(key);
  }
  varying.sort();
  const byFold = Object.fromEntries(
    perFold.map((f) => [
      String(f.fold),
      Object.fromEntries(varying.filter((k) => k in f.params).map((k) => [k, f.params[k]])),
    ]),
  );
  return { params, varying, byFold };
}

/**
 * The fast path of input validation: checks a parsed JSON row against a feature schema
 * and writes it straight into a matrix row, in one pass and without allocating. It
 * accepts exactly the rows the zod row schema accepts (a test holds the two to that);
 * when it rejects one, the caller asks zod for the field-by-field report.
 *
 * @module
 */
import type { FeatureSpec } from "../../pipeline/bundle/bundle_schema.ts";

/**
 * Checks `row` and, if it is valid, writes its values to `out` from `offset` on in
 * feature order, null as NaN (imputed by the model's preprocessor). Returns validity;
 * after `false`, the written part of `out` is meaningless.
 */
export type RowPacker = (row: unknown, out: Float64Array, offset: number) => boolean;

/**
 * Compiles a packer for a feature schema.
 *
 * The check is generated as straight-line code with one property read per feature by a
 * literal name: V8 then caches each read for the row's shape, which makes a row about
 * twenty times cheaper to check than a loop reading `row[names[j]]`. Names enter the code
 * only as JSON string literals and bounds only as numbers, so a bundle cannot inject code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileRowPacker } from "./row_packer.ts";
 *
 * const spec = { group: "census", min: 0, max: 1 };
 * const features = [
 *   { ...spec, name: "population", description: "Population", nullable: false },
 *   { ...spec, name: "medIncome", description: "Median household income", nullable: true },
 * ];
 * const pack = compileRowPacker(features);
 * const x = new Float64Array(features.length);
 * assert.equal(pack({ population: 0.4, medIncome: null }, x, 0), true);
 * assert.deepEqual([...x], [0.4, NaN]);
 * assert.equal(pack({ population: "high", medIncome: 0.2 }, x, 0), false); // ask zod for the report
 * ```
 */
export function compileRowPacker(features: readonly FeatureSpec[]): RowPacker {
  const checks = features.map((f, j) => {
    if (!Number.isFinite(f.min) || !Number.isFinite(f.max)) {
      throw new RangeError(`feature ${f.name}: bounds must be finite numbers`);
    }
    // NaN and ±Infinity fail the finite range test, so they need no check of their own.
    return `v = row[${JSON.stringify(f.name)}];
  if (typeof v === "number") {
    if (!(v >= ${f.min} && v <= ${f.max})) return false;
    out[offset + ${j}] = v;
  } else if (${f.nullable ? "v === null" : "false"}) out[offset + ${j}] = NaN;
  else return false;`;
  });
  const body = `
  if (typeof row !== "object" || row === null || Array.isArray(row)) return false;
  // With as many keys as features, a missing feature shows up below as undefined, so
  // the count alone rules out unknown keys.
  let keys = 0;
  for (const _ in row) keys++;
  if (keys !== ${features.length}) return false;
  let v;
  ${checks.join("\n  ")}
  return true;`;
  return new Function("row", "out", "offset", body) as RowPacker;
}

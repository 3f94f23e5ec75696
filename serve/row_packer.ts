/**
 * The fast path of input validation: checks a parsed JSON row against a feature schema
 * and writes it straight into a matrix row, in one pass and without allocating. It
 * accepts exactly the rows the zod row schema accepts (a test holds the two to that);
 * when it rejects one, the caller asks zod for the field-by-field report.
 *
 * @module
 */
import type { FeatureSpec } from "../pipeline/bundle/bundle_schema.ts";

/**
 * Checks `row` and, if it is valid, writes its values to `out` from `offset` on in
 * feature order, null as NaN (imputed by the model's preprocessor). Returns validity;
 * after `false`, the written part of `out` is meaningless.
 */
export type RowPacker = (row: unknown, out: Float64Array, offset: number) => boolean;

/**
 * Compiles a packer for a feature schema.
 *
 * @example
 * ```ts
 * const pack = compileRowPacker(bundle.features);
 * const x = new Float64Array(bundle.features.length);
 * if (!pack(body, x, 0)) return reportIssues(body);
 * ```
 */
export function compileRowPacker(features: readonly FeatureSpec[]): RowPacker {
  const count = features.length;
  const names = features.map((f) => f.name);
  const min = Float64Array.from(features, (f) => f.min);
  const max = Float64Array.from(features, (f) => f.max);
  const nullable = Uint8Array.from(features, (f) => (f.nullable ? 1 : 0));
  return (row, out, offset) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) return false;
    const fields = row as Record<string, unknown>;
    // With as many keys as features, a missing feature shows up below as undefined, so
    // the count alone rules out unknown keys.
    let keys = 0;
    for (const _ in fields) keys++;
    if (keys !== count) return false;
    for (let j = 0; j < count; j++) {
      const v = fields[names[j]];
      if (typeof v === "number") {
        // Bounds come from bundle JSON and are finite, so NaN and ±Infinity fail here too.
        if (!(v >= min[j] && v <= max[j])) return false;
        out[offset + j] = v;
      } else if (v === null && nullable[j] === 1) {
        out[offset + j] = NaN;
      } else {
        return false;
      }
    }
    return true;
  };
}

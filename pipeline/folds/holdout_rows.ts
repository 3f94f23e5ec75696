/**
 * The held-out fold as the serving contract sees it: one row per community of the fold,
 * one column per contract feature. Features the clean table dropped arrive as missing,
 * exactly as they would in a request.
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";
import { FOLD } from "../data/catalogue.ts";
import { getColumn, type NumericTable } from "../data/numeric_table.ts";
import { rowsWhere } from "./fold_split.ts";

/**
 * The rows of `fold` in `table`, with the `features` columns in order (NaN = missing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holdoutRows } from "./holdout_rows.ts";
 *
 * const table = {
 *   names: ["fold", "population"],
 *   columns: new Map([
 *     ["fold", new Float64Array([9, 10])],
 *     ["population", new Float64Array([3, 5])],
 *   ]),
 *   rowCount: 2,
 * };
 * const x = holdoutRows(table, ["population", "medIncome"], 10);
 * assert.deepEqual(x, { rows: 1, cols: 2, data: Float64Array.of(5, NaN) }); // no medIncome
 * ```
 */
export function holdoutRows(
  table: NumericTable,
  features: readonly string[],
  fold: number,
): Matrix {
  const rows = rowsWhere(getColumn(table, FOLD), (f) => f === fold);
  const out = matrix(rows.length, features.length);
  features.forEach((name, j) => {
    const values = table.columns.get(name);
    rows.forEach((row, i) => {
      out.data[i * features.length + j] = values ? values[row] : NaN;
    });
  });
  return out;
}

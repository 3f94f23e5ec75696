/**
 * The held-out fold as the serving contract sees it: one row per community of the fold,
 * one column per contract feature. Features the clean table dropped arrive as missing,
 * exactly as they would in a request.
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";
import { FOLD } from "./catalogue.ts";
import { getColumn, type NumericTable } from "./numeric_table.ts";

/**
 * The rows of `fold` in `table`, with the `features` columns in order (NaN = missing).
 *
 * @example
 * ```ts
 * const x = holdoutRows(readParquet("data/processed/clean.parquet"), contract, 10);
 * ```
 */
export function holdoutRows(
  table: NumericTable,
  features: readonly string[],
  fold: number,
): Matrix {
  const folds = getColumn(table, FOLD);
  const rows = Int32Array.from(folds.keys()).filter((i) => folds[i] === fold);
  const out = matrix(rows.length, features.length);
  features.forEach((name, j) => {
    const values = table.columns.get(name);
    rows.forEach((row, i) => {
      out.data[i * features.length + j] = values ? values[row] : NaN;
    });
  });
  return out;
}

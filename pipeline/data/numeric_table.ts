/**
 * A named set of equally long numeric columns: the in-memory form of the processed data
 * between stages (NaN = missing).
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";
import type { RawTable } from "./raw_data.ts";
import { DataError } from "./data_error.ts";

/** Equally long numeric columns, in order. */
export interface NumericTable {
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, Float64Array>;
  readonly rowCount: number;
}

/** Builds a table from the named columns of a raw table. */
export function fromRaw(raw: RawTable, names: readonly string[]): NumericTable {
  const columns = new Map(names.map((n) => [n, raw.numbers.get(n)!] as const));
  return { names: [...names], columns, rowCount: raw.rowCount };
}

/** Returns a column, naming the table's columns when it is absent. */
export function getColumn(table: NumericTable, name: string): Float64Array {
  const values = table.columns.get(name);
  if (!values) throw new DataError(`column "${name}" not found (have: ${table.names.join(", ")})`);
  return values;
}

/** Copies the named columns into a row-major matrix, in the given order. */
export function toMatrix(table: NumericTable, names: readonly string[]): Matrix {
  const out = matrix(table.rowCount, names.length);
  names.forEach((name, j) => {
    const values = getColumn(table, name);
    for (let i = 0; i < table.rowCount; i++) out.data[i * names.length + j] = values[i];
  });
  return out;
}

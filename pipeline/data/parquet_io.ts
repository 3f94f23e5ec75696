/**
 * Reads and writes numeric tables as Parquet through nodejs-polars. Only stage entry
 * points import this module: the model and serving code stay free of native addons.
 *
 * @module
 */
import pl from "nodejs-polars";
import { dirname } from "node:path";
import type { NumericTable } from "./numeric_table.ts";
import { DataError } from "./data_error.ts";

/** Writes a numeric table to a Parquet file, creating the parent folder. */
export async function writeParquet(path: string, table: NumericTable): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const series = table.names.map((name) =>
    pl.Series(name, Array.from(table.columns.get(name)!, (v) => (Number.isNaN(v) ? null : v)))
      .cast(pl.Float64)
  );
  pl.DataFrame(series).writeParquet(path);
}

/** Reads a Parquet file of numeric columns (nulls become NaN). */
export function readParquet(path: string): NumericTable {
  let frame: pl.DataFrame;
  try {
    frame = pl.readParquet(path);
  } catch (error) {
    throw new DataError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const columns = new Map<string, Float64Array>();
  for (const name of frame.columns) {
    const values = frame.getColumn(name).cast(pl.Float64).toArray() as (number | null)[];
    columns.set(name, Float64Array.from(values, (v) => v ?? NaN));
  }
  return { names: frame.columns, columns, rowCount: frame.height };
}

/**
 * Loads the validated raw snapshot as a columnar table (stage edge: reads files).
 *
 * @module
 */
import { PATHS } from "../paths.ts";
import { type ColumnInfo, parseCatalogue } from "./catalogue.ts";
import { type RawTable, splitRecords, toTable } from "./raw_data.ts";

/** The catalogue and the raw table of the project's snapshot. */
export async function loadRaw(): Promise<{ columns: ColumnInfo[]; table: RawTable }> {
  const columns = parseCatalogue(await Deno.readTextFile(PATHS.rawNames));
  const table = toTable(splitRecords(await Deno.readTextFile(PATHS.rawData)), columns);
  return { columns, table };
}

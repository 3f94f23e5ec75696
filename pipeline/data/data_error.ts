/**
 * Input data that cannot be read as the pipeline expects: a missing or unreadable data
 * file, a catalogue without attributes, a column that is not there.
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";

/**
 * A data file or table that is not what the pipeline expects; its message names it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UserError } from "../core/user_error.ts";
 * import { DataError } from "./data_error.ts";
 *
 * assert.ok(new DataError("cannot read data/processed/clean.parquet") instanceof UserError);
 * ```
 */
export class DataError extends UserError {
  override name = "DataError";
}

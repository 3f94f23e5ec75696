/**
 * A table of communities being read for batch scoring, whatever its file format: its
 * column names, and its rows in chunks, each row with the position it has in the file.
 *
 * @module
 */

import type { Cell } from "../contract/cell_value.ts";

export type { Cell };

/** A row and where it is in the file. */
export interface InputRow {
  /** CSV: the line it starts on (the header is line 1). Parquet: the row number, from 1. */
  readonly position: number;
  /** One cell per column of {@linkcode InputTable.columns}. */
  readonly cells: readonly Cell[];
}

/** A record that could not be read as a row, with the reason. */
export interface UnreadableRow {
  readonly position: number;
  readonly error: string;
}

/** A table being read. */
export interface InputTable {
  /** The columns, in file order. */
  readonly columns: readonly string[];
  /** What a position counts: `line` for CSV, `row` for Parquet. */
  readonly positionName: "line" | "row";
  /** The rows, in chunks of about `chunkRows`. */
  chunks(chunkRows: number): AsyncIterable<readonly (InputRow | UnreadableRow)[]>;
  /** The share of the file read so far, from 0 to 1. */
  fractionRead(): number;
  /** Releases the file. */
  close(): void;
}

/** An input file that cannot be scored at all (not found, no header, a missing column). */
export class InputFileError extends Error {
  override name = "InputFileError";
}

/**
 * Reads the raw comma-separated data file (no header, `?` for a missing value) into
 * columns, keeping every parse problem so validation can report it instead of throwing.
 *
 * @module
 */
import type { ColumnInfo } from "./catalogue.ts";

/** The marker of a missing value in the raw file. */
export const MISSING = "?";

/** The raw file split into records of text fields, with 1-based line numbers. */
export interface RawRecords {
  readonly fields: string[][];
  readonly lines: number[];
  /** True when the file does not end with a newline (a possibly truncated last line). */
  readonly missingFinalNewline: boolean;
}

/** Splits raw text into records; blank lines are skipped. */
export function splitRecords(text: string): RawRecords {
  const fields: string[][] = [];
  const lines: number[] = [];
  text.split("\n").forEach((line, i) => {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed.trim() === "") return;
    fields.push(trimmed.split(","));
    lines.push(i + 1);
  });
  return { fields, lines, missingFinalNewline: text.length > 0 && !text.endsWith("\n") };
}

/** The data as columns: numbers (NaN for missing or unparsable) and the original text. */
export interface RawTable {
  readonly columns: readonly ColumnInfo[];
  readonly rowCount: number;
  readonly lines: readonly number[];
  /** Numeric value per column, NaN where missing or not a number. */
  readonly numbers: ReadonlyMap<string, Float64Array>;
  /** Original text per column. */
  readonly text: ReadonlyMap<string, readonly string[]>;
}

/** Builds a columnar table from records that all have the catalogue's column count. */
export function toTable(records: RawRecords, columns: readonly ColumnInfo[]): RawTable {
  const rows = records.fields.filter((f) => f.length === columns.length);
  const lines = records.lines.filter((_, i) => records.fields[i].length === columns.length);
  const numbers = new Map<string, Float64Array>();
  const text = new Map<string, string[]>();
  for (const column of columns) {
    const values = rows.map((row) => row[column.index].trim());
    text.set(column.name, values);
    numbers.set(column.name, Float64Array.from(values, parseNumber));
  }
  return { columns, rowCount: rows.length, lines, numbers, text };
}

/** Parses a decimal number; `?`, blanks and text give NaN. */
export function parseNumber(value: string): number {
  if (value === MISSING || value === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
    return NaN;
  }
  return Number(value);
}

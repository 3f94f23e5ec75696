/**
 * The value of a CSV cell for the input contract: empty or `?` (the data set's own mark)
 * is null, a decimal number is that number, anything else stays text, so the contract
 * reports it as the wrong type, as `/predict` does for a string. Used for the CSV files of
 * batch scoring and the `text/csv` bodies of `/invocations`.
 *
 * @module
 */
/** One cell as read: CSV text, or a Parquet value (a number, text, a boolean or null). */
export type Cell = string | number | boolean | null;

/** Whether `text` has only the characters of a decimal number (digits, sign, point, exponent). */
function decimalCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 0-9, +, -, ., e, E
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 101 || c === 69)) {
      return false;
    }
  }
  return true;
}

/**
 * The contract value of `cell`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellValue } from "./cell_value.ts";
 *
 * assert.equal(cellValue("0.25"), 0.25);
 * assert.equal(cellValue("?"), null);
 * assert.equal(cellValue(""), null);
 * assert.equal(cellValue("high"), "high");
 * assert.equal(cellValue("0x10"), "0x10"); // not a decimal number
 * assert.equal(cellValue("1e-3"), 0.001);
 * assert.equal(cellValue("1.2.3"), "1.2.3");
 * ```
 */
export function cellValue(cell: Cell): Cell {
  if (typeof cell !== "string") return cell;
  if (cell === "" || cell === "?") return null;
  // Number() alone would also take hex, "Infinity" and padded " 1 ".
  if (!decimalCharacters(cell)) return cell;
  const n = Number(cell);
  return Number.isFinite(n) ? n : cell;
}

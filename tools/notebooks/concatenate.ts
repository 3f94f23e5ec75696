/**
 * Turns a notebook's code cells into one TypeScript module that `deno check` can
 * type-check, and maps line numbers in that module back to notebook cells.
 *
 * @module
 */
import { IMPORT_STATEMENT } from "../export_cells/imports.ts";
import type { Notebook } from "./notebook.ts";

/** Where a line of the concatenated module came from. */
export interface CellLine {
  /** The cell's number in the notebook (1-based, all cells counted). */
  readonly cell: number;
  /** The line within the cell (1-based). */
  readonly line: number;
}

/** The concatenated module and its line map. */
export interface ConcatenatedNotebook {
  readonly code: string;
  /** `lines[i]` is the origin of line `i + 1` of `code`; separator lines map to `undefined`. */
  readonly lines: readonly (CellLine | undefined)[];
}

/**
 * Blanks out import statements already made by an earlier cell: the kernel accepts
 * importing a binding again, a single module does not. Line numbers are preserved.
 */
function dropRepeatedImports(source: string, seen: Set<string>): string {
  return source.replace(IMPORT_STATEMENT, (statement) => {
    if (!seen.has(statement.trim())) {
      seen.add(statement.trim());
      return statement;
    }
    return statement.replace(/[^\n]/g, "");
  });
}

/**
 * Concatenates the code cells in order. Each cell is preceded by a separator line that
 * starts with `;` so a cell ending without a semicolon cannot run into the next one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellLineOf, concatenateCells } from "./concatenate.ts";
 * import { parseNotebook } from "./notebook.ts";
 *
 * const cells = [
 *   { cell_type: "code", source: ["const a = 1"] },
 *   { cell_type: "code", source: ["console.log(a)"] },
 * ];
 * const concatenated = concatenateCells(parseNotebook(JSON.stringify({ cells }), "demo.ipynb"));
 * assert.equal(concatenated.code, "; // cell 1\nconst a = 1\n; // cell 2\nconsole.log(a)\n");
 * assert.deepEqual(cellLineOf(concatenated, 4), { cell: 2, line: 1 });
 * ```
 */
export function concatenateCells(notebook: Notebook): ConcatenatedNotebook {
  const out: string[] = [];
  const lines: (CellLine | undefined)[] = [];
  const imports = new Set<string>();
  for (const cell of notebook.cells) {
    if (cell.type !== "code") continue;
    out.push(`; // cell ${cell.number}`);
    lines.push(undefined);
    dropRepeatedImports(cell.source, imports).split("\n").forEach((text, i) => {
      out.push(text);
      lines.push({ cell: cell.number, line: i + 1 });
    });
  }
  return { code: out.join("\n") + "\n", lines };
}

/** Maps a 1-based line of the concatenated module back to its cell, if it has one. */
export function cellLineOf(
  concatenated: ConcatenatedNotebook,
  line: number,
): CellLine | undefined {
  return concatenated.lines[line - 1];
}

/**
 * Reads Jupyter notebooks (nbformat 4) as far as the notebook tools need them: the
 * kind, source and outputs of each cell. Cells are numbered from 1 over all cells,
 * markdown included, the same numbering `execute_notebook.py` reports.
 *
 * @module
 */
import { join, relative } from "node:path";

/** One notebook cell. */
export interface Cell {
  /** Position in the notebook, counting every cell, starting at 1. */
  readonly number: number;
  readonly type: "code" | "markdown" | "raw";
  readonly source: string;
  /** Number of saved outputs (always 0 for non-code cells). */
  readonly outputCount: number;
  readonly executionCount: number | null;
}

/** A parsed notebook and the path it was read from. */
export interface Notebook {
  readonly path: string;
  readonly cells: readonly Cell[];
}

const CELL_TYPES = new Set(["code", "markdown", "raw"]);

function joinSource(source: unknown, where: string): string {
  if (typeof source === "string") return source;
  if (Array.isArray(source) && source.every((line) => typeof line === "string")) {
    return source.join("");
  }
  throw new Error(`${where}: "source" must be a string or a list of strings`);
}

function parseCell(raw: unknown, number: number, path: string): Cell {
  const where = `${path}: cell ${number}`;
  if (typeof raw !== "object" || raw === null) throw new Error(`${where} is not an object`);
  const cell = raw as Record<string, unknown>;
  const type = cell.cell_type;
  if (typeof type !== "string" || !CELL_TYPES.has(type)) {
    throw new Error(`${where}: unknown cell_type ${JSON.stringify(type)}`);
  }
  const outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
  const count = cell.execution_count;
  return {
    number,
    type: type as Cell["type"],
    source: joinSource(cell.source, where),
    outputCount: outputs.length,
    executionCount: typeof count === "number" ? count : null,
  };
}

/** Parses notebook JSON; `path` only names the notebook in error messages. */
export function parseNotebook(text: string, path: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const cells = (json as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) throw new Error(`${path}: not a notebook (no "cells" list)`);
  return { path, cells: cells.map((cell, i) => parseCell(cell, i + 1, path)) };
}

/** Reads and parses the notebook at `path`. */
export async function readNotebook(path: string): Promise<Notebook> {
  return parseNotebook(await Deno.readTextFile(path), path);
}

/**
 * Lists the `.ipynb` files under `dir`, sorted, as paths relative to `root`.
 * JupyterLab's `.ipynb_checkpoints` copies are skipped.
 */
export async function findNotebooks(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string) => {
    for await (const entry of Deno.readDir(current)) {
      const path = join(current, entry.name);
      if (entry.isDirectory && entry.name !== ".ipynb_checkpoints") await walk(path);
      else if (entry.isFile && entry.name.endsWith(".ipynb")) found.push(relative(root, path));
    }
  };
  try {
    await walk(join(root, dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return found.sort();
}

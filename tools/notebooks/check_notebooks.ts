/**
 * Type-checks notebooks, which the Deno kernel runs without any type checking.
 *
 * Each notebook's code cells are concatenated into a temporary module next to the
 * notebook, so relative imports resolve exactly as in the kernel (which runs in the
 * notebook's folder), and all modules are checked by one `deno check` run. Error
 * locations are rewritten to `<notebook> cell <n> line <l>:<column>`.
 *
 * Usage: `deno run -A tools/notebooks/check_notebooks.ts [PATH ...]`, where each PATH is
 * a notebook or a folder to search (default: `notebooks/`).
 *
 * @module
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cellLineOf, concatenateCells, type ConcatenatedNotebook } from "./concatenate.ts";
import { findNotebooks, readNotebook } from "./notebook.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface CheckTarget {
  readonly notebook: string;
  readonly module: string;
  readonly concatenated: ConcatenatedNotebook;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Rewrites every mention of a temporary module (URL or path) as its notebook location. */
function mapLocations(output: string, targets: readonly CheckTarget[]): string {
  let mapped = output;
  for (const target of targets) {
    const name = relative(Deno.cwd(), target.notebook);
    const module = `(?:${escapeRegExp(pathToFileURL(target.module).href)}|${
      escapeRegExp(target.module)
    }|${escapeRegExp(relative(PROJECT_ROOT, target.module))})`;
    mapped = mapped
      .replace(new RegExp(`${module}:(\\d+):(\\d+)`, "g"), (_, line, column) => {
        const origin = cellLineOf(target.concatenated, Number(line));
        return origin
          ? `${name} cell ${origin.cell} line ${origin.line}:${column}`
          : `${name} (between cells)`;
      })
      .replace(new RegExp(module, "g"), name);
  }
  return mapped;
}

async function listNotebooks(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await Deno.stat(absolute).catch(() => null);
    if (info?.isDirectory) {
      for (const notebook of await findNotebooks(absolute, ".")) {
        found.add(join(absolute, notebook));
      }
    } else if (info?.isFile && absolute.endsWith(".ipynb")) {
      found.add(absolute);
    } else {
      throw new Error(`${path} is neither a notebook nor a folder`);
    }
  }
  return [...found].sort();
}

async function prepare(notebookPath: string): Promise<CheckTarget | undefined> {
  const notebook = await readNotebook(notebookPath);
  if (!notebook.cells.some((cell) => cell.type === "code")) return undefined;
  const concatenated = concatenateCells(notebook);
  // Hidden and next to the notebook: relative imports must resolve from its folder.
  const module = join(dirname(notebookPath), `.${basename(notebookPath, ".ipynb")}.nbcheck.ts`);
  await Deno.writeTextFile(module, concatenated.code);
  return { notebook: notebookPath, module, concatenated };
}

/** Type-checks the notebooks under `paths` and returns the process exit code. */
export async function checkNotebooks(paths: readonly string[]): Promise<number> {
  const notebooks = await listNotebooks(paths);
  const targets: CheckTarget[] = [];
  try {
    for (const notebook of notebooks) {
      const target = await prepare(notebook);
      if (target) targets.push(target);
    }
    if (targets.length === 0) {
      console.log("no notebook with code cells to check");
      return 0;
    }
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...targets.map((target) => target.module)],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const report = mapLocations(
      decoder.decode(result.stdout) + decoder.decode(result.stderr),
      targets,
    );
    if (result.success) {
      console.log(`${targets.length} notebook(s) type-check`);
      return 0;
    }
    console.error(report.trimEnd());
    return 1;
  } finally {
    await Promise.all(targets.map((target) => Deno.remove(target.module).catch(() => {})));
  }
}

if (import.meta.main) {
  try {
    Deno.exit(
      await checkNotebooks(Deno.args.length ? Deno.args : [join(PROJECT_ROOT, "notebooks")]),
    );
  } catch (error) {
    console.error(`check_notebooks: ${(error as Error).message}`);
    Deno.exit(2);
  }
}

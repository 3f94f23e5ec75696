/**
 * Renders promoted cells as the text of a generated module or test file, formatted
 * by `deno fmt` so that promotion is deterministic and stable under `deno fmt`.
 *
 * @module
 */
import { posix } from "node:path";
import type { Target } from "./collect.ts";
import { exportedNames, rewriteImports, specifierFrom, splitImports } from "./imports.ts";

const HEADER_START = "// Generated from ";

/** The first line of every generated file; it also identifies generated files. */
export function header(notebook: string): string {
  return `${HEADER_START}${notebook} by \`deno task promote\`: do not edit; ` +
    "edit the notebook and promote again.";
}

/** Whether `text` starts with the header of a generated file. */
export function isGenerated(text: string): boolean {
  return text.startsWith(HEADER_START);
}

function rewrite(target: Target, code: string, cell: number): string {
  return rewriteImports(
    code,
    posix.dirname(target.notebook),
    target.path,
    `${target.notebook} cell ${cell}`,
  );
}

/** Renders an exported module: the header, then the cells in notebook order. */
export function renderModule(target: Target): string {
  const cells = target.cells.map(({ cell, code }) => rewrite(target, code, cell));
  return [header(target.notebook), ...cells].join("\n\n") + "\n";
}

function mentions(code: string, name: string): boolean {
  const escaped = name.replace(/\$/g, "\\$");
  return new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`).test(code);
}

/**
 * Imports, from the modules the same notebook generates, the names the tests use:
 * in the notebook those names are simply in scope.
 */
function moduleImports(
  target: Target,
  modules: readonly Target[],
  bodies: string,
  imports: readonly string[],
): string[] {
  const lines: string[] = [];
  for (const module of modules) {
    const names = exportedNames(module.cells.map((cell) => cell.code).join("\n"))
      .filter(({ name }) => mentions(bodies, name))
      .filter(({ name }) => !imports.some((line) => mentions(line, name)));
    const specifier = specifierFrom(posix.dirname(target.path), module.path);
    const unique = [...new Map(names.map((n) => [n.name, n])).values()];
    if (unique.length === 0) continue;
    const list = unique.map(({ name, typeOnly }) => typeOnly ? `type ${name}` : name);
    lines.push(`import { ${list.join(", ")} } from "${specifier}";`);
  }
  return lines;
}

/**
 * Renders a test file: each test cell becomes one `Deno.test`, its imports moved to the
 * top. `modules` are the modules generated from the same notebook.
 */
export function renderTest(target: Target, modules: readonly Target[]): string {
  const split = target.cells.map(({ cell, code }) => splitImports(rewrite(target, code, cell)));
  const imports = [...new Set(split.flatMap((cell) => cell.imports))];
  const bodies = split.map((cell) => cell.rest);
  const tests = target.cells.map(({ cell, name }, i) => {
    const title = JSON.stringify(name ?? `${target.notebook} cell ${cell}`);
    const async = /\bawait\b/.test(bodies[i]) ? "async " : "";
    return `Deno.test(${title}, ${async}() => {\n${bodies[i]}\n});`;
  });
  const allImports = [...imports, ...moduleImports(target, modules, bodies.join("\n"), imports)];
  const sections = [header(target.notebook), allImports.join("\n"), ...tests];
  return sections.filter((section) => section !== "").join("\n\n") + "\n";
}

/** Formats TypeScript with `deno fmt`, using the formatting options of `root`'s deno.json. */
export async function format(code: string, root: string, path: string): Promise<string> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "ts", "-"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = process.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const result = await process.output();
  const decoder = new TextDecoder();
  if (!result.success) {
    throw new Error(`cannot format ${path}: ${decoder.decode(result.stderr).trim()}`);
  }
  return decoder.decode(result.stdout);
}

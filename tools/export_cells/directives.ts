/**
 * Parses the export directives written on the first lines of a code cell:
 *
 * - `//| default_exp <module>`: the notebook's default module, a path under
 *   `pipeline/` without extension (`features/interactions`);
 * - `//| export` or `//| export <module>`: the cell goes into the default or the
 *   named module;
 * - `//| test` or `//| test <name>`: the cell becomes a test of the module of the
 *   nearest exported cell above it (of the default module before any).
 *
 * @module
 */

/** A directive found at the top of a cell. */
export type Directive =
  | { readonly kind: "default_exp"; readonly module: string }
  | { readonly kind: "export"; readonly module?: string }
  | { readonly kind: "test"; readonly name?: string };

/** A cell's directives and its source with the directive lines removed. */
export interface DirectedCell {
  readonly directives: readonly Directive[];
  readonly body: string;
}

const DIRECTIVE_LINE = /^\/\/\|\s*(\S+)(?:\s+(.*?))?\s*$/;
const MODULE_PATH = /^[a-z0-9_]+(\/[a-z0-9_]+)*$/;

function modulePath(value: string | undefined, directive: string, where: string): string {
  if (!value) throw new Error(`${where}: \`//| ${directive}\` needs a module path`);
  if (!MODULE_PATH.test(value)) {
    throw new Error(
      `${where}: module path "${value}" must be snake_case segments under pipeline/, ` +
        `without extension (e.g. features/interactions)`,
    );
  }
  return value;
}

function parseDirective(name: string, argument: string | undefined, where: string): Directive {
  switch (name) {
    case "default_exp":
      return { kind: "default_exp", module: modulePath(argument, name, where) };
    case "export":
      return argument === undefined
        ? { kind: "export" }
        : { kind: "export", module: modulePath(argument, name, where) };
    case "test":
      return argument === undefined ? { kind: "test" } : { kind: "test", name: argument };
    default:
      throw new Error(
        `${where}: unknown directive \`//| ${name}\` (expected default_exp, export or test)`,
      );
  }
}

/**
 * Splits the leading `//|` lines of `source` off as directives; `where` names the cell in
 * error messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCell } from "./directives.ts";
 *
 * assert.deepEqual(parseCell("//| export\nexport const one = 1;\n", "a.ipynb cell 2"), {
 *   directives: [{ kind: "export" }],
 *   body: "export const one = 1;\n",
 * });
 * assert.throws(() => parseCell("//| exprot\n", "a.ipynb cell 2"), /cell 2: unknown directive/);
 * ```
 */
export function parseCell(source: string, where: string): DirectedCell {
  const lines = source.split("\n");
  const directives: Directive[] = [];
  let first = 0;
  for (; first < lines.length; first++) {
    const match = DIRECTIVE_LINE.exec(lines[first]);
    if (!match) break;
    directives.push(parseDirective(match[1], match[2] || undefined, where));
  }
  return { directives, body: lines.slice(first).join("\n") };
}

/**
 * Import handling for exported cells. Cells import with paths relative to their
 * notebook, which is where the kernel resolves them; exporting rewrites each relative
 * specifier so that it points at the same file from the generated file's folder.
 * Bare specifiers (`zod`, `node:fs`, `npm:...`) are left alone.
 *
 * All paths here are POSIX paths relative to the project root.
 *
 * @module
 */
import { posix } from "node:path";

// `from "x"`, `import "x"` and `import("x")` with a relative specifier.
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?\/[^"']*)\2/g;
const DOC_COMMENT_OR_SPECIFIER = new RegExp(
  `\\/\\*\\*[\\s\\S]*?\\*\\/|${RELATIVE_SPECIFIER.source}`,
  "g",
);
/** A whole static import statement on its own line(s). */
export const IMPORT_STATEMENT = /^import\s+(?:[\w$*{}\s,]+?\s+from\s*)?["'][^"']+["'];?[ \t]*$/gm;
const EXPORTED_DECLARATION =
  /^export\s+(?:declare\s+)?(?:(async\s+)?function\*?|const|let|var|(?:abstract\s+)?class|enum|(interface|type))\s+([\w$]+)/gm;
const EXPORT_LIST = /^export\s+(type\s+)?\{([^}]*)\}\s*;?[ \t]*$/gm;

/** A name a module exports, and whether it exists only as a type. */
export interface ExportedName {
  readonly name: string;
  readonly typeOnly: boolean;
}

/** The path of `target` relative to `fromDir`, as an import specifier (`./x.ts`, `../y.ts`). */
export function specifierFrom(fromDir: string, target: string): string {
  const path = posix.relative(fromDir, target);
  return path.startsWith("../") ? path : `./${path}`;
}

/**
 * Rewrites the relative specifiers of `code`, written from `notebookDir`, so that they
 * resolve from `outputDir`. Throws when code imports `outputFile` itself, which only
 * works in the notebook (where that file is the previous export's output).
 */
export function rewriteImports(
  code: string,
  notebookDir: string,
  outputFile: string,
  where: string,
): string {
  const outputDir = posix.dirname(outputFile);
  // Doc comments are left alone: their examples are checked from the generated module
  // (`deno check --doc-only`), so they are written as seen from there.
  return code.replace(DOC_COMMENT_OR_SPECIFIER, (
    match: string,
    prefix: string | undefined,
    quote: string,
    specifier: string,
  ) => {
    if (prefix === undefined) return match;
    const target = posix.normalize(posix.join(notebookDir, specifier));
    if (target === outputFile) {
      throw new Error(`${where} imports ${specifier}, the file it is exported into`);
    }
    return `${prefix}${quote}${specifierFrom(outputDir, target)}${quote}`;
  });
}

/** Splits the top-level import statements off `code` (tests wrap the rest in a function). */
export function splitImports(code: string): { imports: string[]; rest: string } {
  const imports = [...code.matchAll(IMPORT_STATEMENT)].map((match) => match[0].trim());
  return { imports, rest: code.replace(IMPORT_STATEMENT, "").trim() };
}

/** The names `code` exports by declaration or by an `export { ... }` list. */
export function exportedNames(code: string): ExportedName[] {
  const names: ExportedName[] = [];
  for (const match of code.matchAll(EXPORTED_DECLARATION)) {
    names.push({ name: match[3], typeOnly: match[2] !== undefined });
  }
  for (const match of code.matchAll(EXPORT_LIST)) {
    for (const item of match[2].split(",")) {
      const name = item.trim().split(/\s+as\s+/).pop();
      if (name) names.push({ name, typeOnly: match[1] !== undefined });
    }
  }
  return names;
}

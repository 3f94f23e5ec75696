/**
 * The project's import graph as `deno info --json` resolves it (type-only imports
 * included), for the tests that hold the code's structure to a rule: the DVC
 * dependencies and the layers.
 */
import assert from "node:assert/strict";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(".");

interface Dependency {
  readonly code?: { readonly specifier?: string };
  readonly type?: { readonly specifier?: string };
  /** An `import()` expression: loaded when the code runs it, not with its importer. */
  readonly isDynamic?: boolean;
}

/** One module of the graph. */
export interface GraphModule {
  readonly specifier: string;
  readonly dependencies?: readonly Dependency[];
}

/** The graph of every module `entries` (project-relative paths) import, themselves included. */
export async function importGraph(entries: readonly string[]): Promise<GraphModule[]> {
  const dir = await Deno.makeTempDir({ prefix: "import-graph-" });
  try {
    const all = join(dir, "all.ts");
    const lines = entries.map((f) => `import "${pathToFileURL(resolve(f)).href}";`);
    await Deno.writeTextFile(all, lines.join("\n"));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", all],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    return (JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: GraphModule[] })
      .modules;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The project-relative path of a `file://` specifier inside the project, else undefined. */
export function projectPath(specifier: string | undefined): string | undefined {
  if (!specifier?.startsWith("file://")) return undefined;
  const path = relative(root, fileURLToPath(specifier));
  return path.startsWith("..") || path.startsWith("node_modules/") ? undefined : path;
}

/** The project files of a graph. */
export function projectModules(graph: readonly GraphModule[]): string[] {
  return graph.map((m) => projectPath(m.specifier)).filter((p): p is string => p !== undefined);
}

/** Import edges `[from, to]` between project files. */
export function projectEdges(graph: readonly GraphModule[]): [string, string][] {
  return graph.flatMap((m) => {
    const from = projectPath(m.specifier);
    if (!from) return [];
    return (m.dependencies ?? []).flatMap((d) =>
      [d.code?.specifier, d.type?.specifier].map(projectPath)
        .filter((to): to is string => to !== undefined)
        .map((to) => [from, to] as [string, string])
    );
  });
}

/**
 * The specifiers (project files and npm packages) loaded with `roots` before any code
 * runs: reached through static imports only, not through `import()`.
 */
export function staticallyLoaded(
  graph: readonly GraphModule[],
  roots: readonly string[],
): Set<string> {
  const byUrl = new Map(graph.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const queue = roots.map((r) => pathToFileURL(resolve(r)).href);
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    for (const d of byUrl.get(url)?.dependencies ?? []) {
      if (d.isDynamic) continue;
      for (const next of [d.code?.specifier, d.type?.specifier]) if (next) queue.push(next);
    }
  }
  return seen;
}

/** Every `.ts` file under `dir`, as project-relative paths. */
export function modulesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...modulesUnder(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

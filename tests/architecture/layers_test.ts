/**
 * The code reads one way: every import goes from a room (a folder of `pipeline/` or
 * `serve/`) to the same room or to one of a lower layer, as the layer diagram in the
 * README shows; no library imports an entry point; the server's module graph holds no
 * training library. Checked on the real import graph, as `deno info --json` resolves it
 * (type-only imports included), over every module of `pipeline/` and `serve/`.
 */
import assert from "node:assert/strict";
import {
  importGraph,
  modulesUnder,
  projectEdges,
  projectPath,
  staticallyLoaded,
} from "../support/import_graph.ts";

/** The layers, lowest first: a room may import its own and lower layers only. */
export const LAYERS: readonly (readonly string[])[] = [
  ["pipeline/core"],
  ["pipeline/config", "pipeline/mlflow", "pipeline/paths.ts"],
  ["pipeline/data"],
  [
    "pipeline/folds",
    "pipeline/features",
    "pipeline/evaluation",
    "pipeline/fairness",
    "pipeline/models",
  ],
  ["pipeline/bundle"],
  ["pipeline/intervals"],
  ["pipeline/artefacts", "pipeline/pyfunc"],
  ["pipeline/training", "pipeline/report", "pipeline/stage_support"],
  ["pipeline/registry"],
  ["pipeline/stages", "pipeline/notebook"],
];

/** The server's layers, lowest first, above the pipeline rooms it may use. */
export const SERVE_LAYERS: readonly (readonly string[])[] = [
  ["serve/telemetry", "serve/contract"],
  ["serve/feedback"],
  ["serve/monitoring"],
  ["serve/model"],
  ["serve/config.ts"],
  ["serve/http", "serve/batch"],
  ["serve/instances"],
  ["serve/main.ts"],
];

/** The only pipeline rooms the server imports: it loads bundles, it does not train. */
export const SERVE_USES = [
  "pipeline/bundle",
  "pipeline/core",
  "pipeline/mlflow",
  "pipeline/models",
];

/** What a reader sees in the README: one line per layer, the highest first. */
export function layerDiagram(): string {
  const lines = (layers: readonly (readonly string[])[]) =>
    [...layers].reverse().map((rooms) => rooms.join("  "));
  return [
    ...lines(SERVE_LAYERS),
    `  (the server imports from the pipeline: ${SERVE_USES.join("  ")})`,
    ...lines(LAYERS),
  ].join("\n");
}

/** The room of a project file: its folder under `pipeline/` or `serve/` (or the file itself at the top). */
function roomOf(path: string): string | undefined {
  const [top, second] = path.split("/");
  if ((top !== "pipeline" && top !== "serve") || second === undefined) return undefined;
  return `${top}/${second}`;
}

function layerOf(room: string): number {
  const layers = room.startsWith("serve/") ? SERVE_LAYERS : LAYERS;
  return layers.findIndex((rooms) => rooms.includes(room));
}

/** Whether room `from` may import room `to`. */
function mayImport(from: string, to: string): boolean {
  if (from === to) return true;
  const fromServe = from.startsWith("serve/"), toServe = to.startsWith("serve/");
  if (fromServe && !toServe) return SERVE_USES.includes(to);
  if (!fromServe && toServe) return false;
  return layerOf(to) < layerOf(from);
}

const libraries = [...modulesUnder("pipeline"), ...modulesUnder("serve")];
const graph = await importGraph(libraries);
const edges = () => projectEdges(graph);

Deno.test("every room is on one layer", () => {
  const rooms = new Set(libraries.map(roomOf).filter((r) => r !== undefined));
  const unplaced = [...rooms].filter((room) => layerOf(room) < 0);
  assert.deepEqual(unplaced, [], `rooms missing from LAYERS: ${unplaced.join(", ")}`);
});

Deno.test("imports between rooms go down the layers, never up or sideways", () => {
  const against = edges().flatMap(([from, to]) => {
    const a = roomOf(from), b = roomOf(to);
    if (!a || !b) return [];
    return mayImport(a, b) ? [] : [`${from} -> ${to}`];
  });
  assert.deepEqual(against, [], `imports against the layers:\n${against.join("\n")}`);
});

Deno.test("no library module imports an entry point", async () => {
  const entryPoints = new Set<string>();
  for (const path of [...libraries, ...modulesUnder("tools"), ...modulesUnder("bench")]) {
    if (/^if \(import\.meta\.main\)/m.test(await Deno.readTextFile(path))) entryPoints.add(path);
  }
  assert.ok(entryPoints.has("pipeline/stages/train.ts"), "the check finds entry points");
  const offending = edges().filter(([from, to]) => entryPoints.has(to) && from !== to)
    .map(([from, to]) => `${from} -> ${to}`);
  assert.deepEqual(offending, [], `libraries importing entry points:\n${offending.join("\n")}`);
  const stray = [...entryPoints].filter((p) =>
    p.startsWith("pipeline/") && !p.startsWith("pipeline/stages/")
  );
  assert.deepEqual(stray, [], "the pipeline's entry points live in pipeline/stages/");
});

Deno.test("the server loads models, never how they were fitted: no estimator, no training code, no tfjs", async () => {
  const roots = ["serve/main.ts", "serve/instances/worker.ts"];
  const loaded = [...staticallyLoaded(await importGraph(roots), roots)];
  // The fit modules each family's entry imports on first use, by literal or computed specifier.
  const estimators: string[] = [];
  for (const entry of modulesUnder("pipeline/models").filter((p) => p.endsWith("/family.ts"))) {
    const text = await Deno.readTextFile(entry);
    for (const [, file] of text.matchAll(/(?:import\(|new URL\()"\.\/(\w+\.ts)"/g)) {
      estimators.push(`${entry.slice(0, entry.lastIndexOf("/"))}/${file}`);
    }
  }
  assert.ok(estimators.length >= 9, `found ${estimators.length} estimator modules`);
  const local = loaded.map(projectPath).filter((p): p is string => p !== undefined);
  assert.ok(local.includes("pipeline/models/ridge/ridge_model.ts"), "the check sees the loaders");
  assert.deepEqual(local.filter((p) => estimators.includes(p)), [], "estimators the server loads");
  assert.deepEqual(
    local.filter((p) => /^pipeline\/(training|stages|registry|stage_support|artefacts)\//.test(p)),
    [],
  );
  assert.deepEqual(loaded.filter((s) => s.includes("@tensorflow/")), [], "tfjs in the server");
});

Deno.test("the README's layer diagram is the one checked here", async () => {
  const readme = await Deno.readTextFile("README.md");
  assert.ok(
    readme.includes(layerDiagram()),
    `README.md lacks the layer diagram; it should contain:\n${layerDiagram()}`,
  );
});

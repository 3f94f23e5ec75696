/**
 * Every stage of `dvc.yaml` and `monitoring/dvc.yaml` must declare, as a file or a folder under its `deps`, each
 * project module its entry point imports (transitively, as `deno info` resolves them).
 * Otherwise a change to an undeclared module (say, the matrix code a model uses) leaves
 * `dvc repro` convinced the stage's outputs are current.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { importGraph, projectModules } from "../support/import_graph.ts";

interface Stage {
  readonly cmd: string;
  /** Where the stage runs, relative to its dvc.yaml; its deps are relative to it too. */
  readonly wdir?: string;
  readonly deps?: readonly (string | Record<string, unknown>)[];
}

/** Project files (relative paths) that `entry` imports, itself included. */
async function localModules(entry: string): Promise<string[]> {
  return projectModules(await importGraph([entry]));
}

const DVC_FILES = ["dvc.yaml", "monitoring/dvc.yaml"];

Deno.test("each DVC stage declares every project module its code imports", async () => {
  const missing: string[] = [];
  for (const file of DVC_FILES) {
    const { stages } = parse(await Deno.readTextFile(file)) as { stages: Record<string, Stage> };
    const base = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
    for (const [name, stage] of Object.entries(stages)) {
      // Paths in the stage are relative to its working directory: the project root here.
      assert.equal(join(base, stage.wdir ?? "."), ".", `${file}: stage ${name} runs elsewhere`);
      const entry = /\b(pipeline\/stages|tools)\/[\w/]+\.ts\b/.exec(stage.cmd)?.[0];
      assert.ok(entry, `${file}: stage ${name}: no entry point in its cmd`);
      const deps = (stage.deps ?? []).filter((d): d is string => typeof d === "string")
        .map((d) => d.replace(/\/$/, ""));
      for (const module of await localModules(entry)) {
        if (!deps.some((dep) => module === dep || module.startsWith(`${dep}/`))) {
          missing.push(`${file}: ${name}: ${module}`);
        }
      }
    }
  }
  assert.deepEqual(missing, [], `undeclared dependencies:\n${missing.join("\n")}`);
});

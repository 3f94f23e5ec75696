/**
 * Every stage in `dvc.yaml` must declare, as a file or a folder under its `deps`, each
 * project module its entry point imports (transitively, as `deno info` resolves them).
 * Otherwise a change to an undeclared module (say, the matrix code a model uses) leaves
 * `dvc repro` convinced the stage's outputs are current.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { importGraph, projectModules } from "../support/import_graph.ts";

interface Stage {
  readonly cmd: string;
  readonly deps?: readonly (string | Record<string, unknown>)[];
}

/** Project files (relative paths) that `entry` imports, itself included. */
async function localModules(entry: string): Promise<string[]> {
  return projectModules(await importGraph([entry]));
}

const dvcYaml = parse(await Deno.readTextFile("dvc.yaml")) as { stages: Record<string, Stage> };

Deno.test("each DVC stage declares every project module its code imports", async () => {
  const missing: string[] = [];
  for (const [name, stage] of Object.entries(dvcYaml.stages)) {
    const entry = /\bpipeline\/stages\/\w+\.ts\b/.exec(stage.cmd)?.[0];
    assert.ok(entry, `stage ${name}: no pipeline/stages/*.ts entry point in its cmd`);
    const deps = (stage.deps ?? []).filter((d): d is string => typeof d === "string")
      .map((d) => d.replace(/\/$/, ""));
    for (const module of await localModules(entry)) {
      if (!deps.some((dep) => module === dep || module.startsWith(`${dep}/`))) {
        missing.push(`${name}: ${module}`);
      }
    }
  }
  assert.deepEqual(missing, [], `undeclared dependencies:\n${missing.join("\n")}`);
});

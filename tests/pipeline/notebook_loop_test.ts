/**
 * The data scientist's loop, end to end in a scratch copy of the project: an exported
 * cell is edited in a notebook, `deno task export-cells` regenerates exactly its module,
 * and `dvc status` then reports changed dependencies for exactly the stages that list
 * that module (or a folder holding it) under their `deps` in `dvc.yaml`, never
 * `validate`.
 */
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { runCommand } from "../../tools/run_command.ts";

const root = resolve(".");
const dvc = join(root, ".venv/bin/dvc");

type Entry = string | Record<string, unknown>;
interface Stage {
  readonly deps?: readonly Entry[];
  readonly outs?: readonly Entry[];
  readonly metrics?: readonly Entry[];
  readonly plots?: readonly Entry[];
}

const dvcYaml = parse(await Deno.readTextFile("dvc.yaml")) as { stages: Record<string, Stage> };

function paths(entries: readonly Entry[] | undefined): string[] {
  return (entries ?? []).map((e) => typeof e === "string" ? e : Object.keys(e)[0]);
}

/** The stages whose `deps` name `module` or a folder holding it. */
function stagesDependingOn(module: string): string[] {
  return Object.entries(dvcYaml.stages).filter(([, stage]) =>
    paths(stage.deps).map((d) => d.replace(/\/$/, "")).some((dep) =>
      module === dep || module.startsWith(`${dep}/`)
    )
  ).map(([name]) => name).sort();
}

async function run(cwd: string, cmd: string, ...args: string[]) {
  const out = await runCommand(cmd, args, { cwd, env: { NO_COLOR: "1", DVC_NO_ANALYTICS: "1" } });
  return { success: out.code === 0, stdout: out.stdout, text: out.stdout + out.stderr };
}

/**
 * Copies the tracked files into a temporary folder (node_modules linked), with every
 * stage output present and `dvc.lock` recorded for the copy's current code, so that
 * `dvc status` starts clean.
 */
async function scratchProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "notebook-loop-" });
  const listed = await run(root, "git", "ls-files", "-z");
  assert.ok(listed.success, listed.text);
  for (const path of listed.stdout.split("\0").filter(Boolean)) {
    const info = await Deno.lstat(join(root, path)).catch(() => null);
    if (!info?.isFile) continue;
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.copyFile(join(root, path), join(dir, path));
  }
  await Deno.symlink(join(root, "node_modules"), join(dir, "node_modules"));
  const config = await run(dir, dvc, "config", "--local", "core.no_scm", "true");
  assert.ok(config.success, config.text);
  for (const stage of Object.values(dvcYaml.stages)) {
    for (const out of [...paths(stage.outs), ...paths(stage.metrics), ...paths(stage.plots)]) {
      await Deno.mkdir(dirname(join(dir, out)), { recursive: true });
      const exists = await Deno.stat(join(dir, out)).then(() => true, () => false);
      if (!exists) await Deno.writeTextFile(join(dir, out), "{}\n");
    }
  }
  const commit = await run(dir, dvc, "commit", "--force", "dvc.yaml");
  assert.ok(commit.success, commit.text);
  return dir;
}

/** `stage: path` for every changed dependency `dvc status` reports. */
async function changedDeps(dir: string): Promise<Set<string>> {
  const status = await run(dir, dvc, "status", "--json");
  assert.ok(status.success, status.text);
  const report = JSON.parse(status.stdout || "{}") as Record<string, unknown[]>;
  const changed = new Set<string>();
  for (const [stage, entries] of Object.entries(report)) {
    for (const entry of entries) {
      if (typeof entry !== "object" || entry === null) continue;
      const deps = (entry as Record<string, Record<string, string>>)["changed deps"];
      for (const path of Object.keys(deps ?? {})) changed.add(`${stage}: ${path}`);
    }
  }
  return changed;
}

/** File contents under `dir` (relative to `base`), by path. */
async function snapshot(base: string, dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(join(base, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) { for (const [k, v] of await snapshot(base, path)) files.set(k, v); }
    else if (entry.isFile) files.set(path, await Deno.readTextFile(join(base, path)));
  }
  return files;
}

interface Loop {
  readonly notebook: string;
  /** The module whose exported cell is edited, under `pipeline/`. */
  readonly module: string;
  /** A line of that cell, after which a comment line is inserted. */
  readonly anchor: string;
}

const LOOPS: readonly Loop[] = [
  {
    notebook: "notebooks/02_features.ipynb",
    module: "pipeline/features/missing_plan.ts",
    anchor: "  let missing = 0;",
  },
  {
    notebook: "notebooks/04_evaluation.ipynb",
    module: "pipeline/evaluation/permutation_importance.ts",
    anchor: "  const baseline = rmse(y, predict(x));",
  },
];

const COMMENT = "  // Edited in the notebook: the loop test's marker.";

for (const { notebook, module, anchor } of LOOPS) {
  Deno.test(`${notebook}: an edited exported cell reruns exactly the stages of ${module}`, async () => {
    const expected = stagesDependingOn(module);
    assert.ok(expected.length > 0, `no stage depends on ${module}`);
    assert.ok(!expected.includes("validate"));

    const dir = await scratchProject();
    try {
      const baseline = await changedDeps(dir);
      const before = new Map([
        ...await snapshot(dir, "pipeline"),
        ...await snapshot(dir, "tests/generated"),
      ]);

      // The edit, as in JupyterLab: one comment line in the exported cell's source.
      const path = join(dir, notebook);
      const json = JSON.parse(await Deno.readTextFile(path));
      const cell = json.cells.find((c: { source: string[] }) =>
        c.source.join("").startsWith("//| export") && c.source.includes(`${anchor}\n`)
      );
      assert.ok(cell, `${notebook}: no exported cell has the line ${JSON.stringify(anchor)}`);
      cell.source.splice(cell.source.indexOf(`${anchor}\n`) + 1, 0, `${COMMENT}\n`);
      await Deno.writeTextFile(path, JSON.stringify(json, null, 1) + "\n");

      const exported = await run(dir, Deno.execPath(), "task", "export-cells");
      assert.ok(exported.success, exported.text);
      const after = new Map([
        ...await snapshot(dir, "pipeline"),
        ...await snapshot(dir, "tests/generated"),
      ]);
      const changedFiles = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
      assert.deepEqual(changedFiles, [module]);
      assert.ok(after.get(module)!.includes(`${anchor}\n${COMMENT}\n`));
      const check = await run(dir, Deno.execPath(), "task", "export-cells:check");
      assert.ok(check.success, check.text);

      const changed = [...await changedDeps(dir)].filter((entry) => !baseline.has(entry));
      const stages = [...new Set(changed.map((entry) => entry.split(": ")[0]))].sort();
      assert.deepEqual(stages, expected, `changed deps:\n${changed.join("\n")}`);
      assert.ok(!stages.includes("validate"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

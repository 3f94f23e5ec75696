/**
 * Runs the real `dvc repro` on the data stages in a scratch copy of the project: a
 * broken raw file stops the pipeline at `validate` with a message naming the column,
 * and a changed param reruns exactly the stages that read it.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";

const root = resolve(".");
const dvc = join(root, ".venv/bin/dvc");
const DATA_STAGES = ["validate", "preprocess", "features", "split"];

async function run(cwd: string, cmd: string, ...args: string[]) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { PATH: `${join(root, ".tools/deno/node_modules/.bin")}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { success: out.success, text };
}

/** File contents under `dir`, by path relative to it. */
async function snapshot(dir: string, prefix = ""): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) { for (const [k, v] of await snapshot(dir, path)) files.set(k, v); }
    else files.set(path, await Deno.readTextFile(join(dir, path)));
  }
  return files;
}

async function scratchProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dvc-stages-" });
  await Deno.mkdir(join(dir, "data"));
  for (const path of ["pipeline", "config", "data/raw", "notebooks", "tests"]) {
    const copy = await run(root, "cp", "-r", path, join(dir, path));
    assert.ok(copy.success, copy.text);
  }
  for (const file of ["deno.json", "deno.lock", ".deno-version", "dvc.yaml"]) {
    await Deno.copyFile(file, join(dir, file));
  }
  await Deno.symlink(join(root, "node_modules"), join(dir, "node_modules"));
  const init = await run(dir, dvc, "init", "--no-scm", "-q");
  assert.ok(init.success, init.text);
  return dir;
}

Deno.test({
  name: "dvc repro: validation failure stops the pipeline; params rerun only their stages",
  async fn() {
    const dir = await scratchProject();
    try {
      const rawPath = join(dir, "data/raw/communities.data");
      const good = await Deno.readTextFile(rawPath);
      const lines = good.trimEnd().split("\n");
      const fields = lines[3].split(",");
      fields[17] = "high"; // medIncome
      await Deno.writeTextFile(
        rawPath,
        [...lines.slice(0, 3), fields.join(","), ...lines.slice(4)].join("\n") + "\n",
      );
      const broken = await run(dir, dvc, "repro", ...DATA_STAGES);
      assert.equal(broken.success, false);
      assert.match(
        broken.text,
        /medIncome: numeric_type: 1 non-numeric value\(s\): line 4: "high"/,
      );
      assert.equal(
        await Deno.stat(join(dir, "data/processed/clean.parquet")).catch(() => null),
        null,
      );

      await Deno.writeTextFile(rawPath, good);
      const ok = await run(dir, dvc, "repro", ...DATA_STAGES);
      assert.ok(ok.success, ok.text);
      const status = await run(dir, dvc, "status", ...DATA_STAGES);
      assert.match(status.text, /Data and pipelines are up to date/);

      // The default local remote round-trips the outputs.
      const remote = await run(dir, dvc, "remote", "add", "-d", "local", join(dir, "store"));
      assert.ok(remote.success, remote.text);
      assert.ok((await run(dir, dvc, "push", ...DATA_STAGES)).success);
      const parquet = join(dir, "data/processed/clean.parquet");
      const original = await Deno.readFile(parquet);
      await Deno.remove(parquet);
      await Deno.remove(join(dir, ".dvc/cache"), { recursive: true });
      const pull = await run(dir, dvc, "pull", ...DATA_STAGES);
      assert.ok(pull.success, pull.text);
      assert.deepEqual(await Deno.readFile(parquet), original);

      const params = join(dir, "config/params.yaml");
      await Deno.writeTextFile(
        params,
        (await Deno.readTextFile(params)).replace(
          /correlation_threshold: [\d.]+/,
          "correlation_threshold: 0.95",
        ),
      );
      const rerun = await run(dir, dvc, "repro", ...DATA_STAGES);
      assert.ok(rerun.success, rerun.text);
      const ran = [...rerun.text.matchAll(/Running stage '(\w+)'/g)].map((m) => m[1]);
      assert.deepEqual(ran, ["features"]);

      // An edited exported cell changes exactly its generated module, and dvc reruns
      // exactly the stage that depends on that module.
      const notebook = join(dir, "notebooks/02_features.ipynb");
      await Deno.writeTextFile(
        notebook,
        (await Deno.readTextFile(notebook)).replace(
          "const kept: string[] = [];",
          "const kept: string[] = []; // features kept so far",
        ),
      );
      const before = await snapshot(join(dir, "pipeline"));
      const exported = await run(
        root,
        "deno",
        "run",
        "-A",
        "tools/export_cells/export_cells.ts",
        "--root",
        dir,
      );
      assert.ok(exported.success, exported.text);
      const after = await snapshot(join(dir, "pipeline"));
      const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
      assert.deepEqual(changed, ["features/correlation_filter.ts"]);
      const afterPromote = await run(dir, dvc, "repro", ...DATA_STAGES);
      assert.ok(afterPromote.success, afterPromote.text);
      assert.deepEqual([...afterPromote.text.matchAll(/Running stage '(\w+)'/g)].map((m) => m[1]), [
        "features",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

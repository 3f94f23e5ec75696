/**
 * The policy scan of deploy/: Checkov (pinned, in its own venv) on every rendered
 * Kubernetes overlay and on the Terraform. Its findings must be exactly those accepted,
 * with their reasons, in deploy/checkov_accepted.yaml: a new finding fails, and so does an
 * accepted one that is no longer found (the list stays true).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { runCommand } from "../../tools/run_command.ts";
import { ROOT } from "../support/containers.ts";
import { missingTools, overlayNames, renderOverlay, toolPath } from "../support/deploy_tools.ts";

const skip = await missingTools("checkov", "kubectl");
if (skip) console.error(`Checkov scans skipped: ${skip}`);

const Accepted = z.object({
  check: z.string().regex(/^CKV2?_[A-Z0-9]+_\d+$/),
  title: z.string().min(1),
  reason: z.string().min(40),
});
const AcceptedFile = z.strictObject({
  kubernetes: z.array(Accepted.extend({ resources: z.record(z.string(), z.array(z.string())) })),
  terraform: z.array(Accepted.extend({ resources: z.array(z.string()) })),
});

const accepted = AcceptedFile.parse(
  parse(await Deno.readTextFile(join(ROOT, "deploy/checkov_accepted.yaml"))),
);

const FailedCheck = z.object({
  check_id: z.string(),
  resource: z.string(),
});
const Report = z.object({
  check_type: z.string(),
  results: z.object({ failed_checks: z.array(FailedCheck) }),
  summary: z.object({ passed: z.number(), failed: z.number(), parsing_errors: z.number() }),
});

/** Runs Checkov with `args`; its findings, as `check resource` lines, and what passed. */
async function scan(args: string[]): Promise<{ findings: string[]; passed: number }> {
  const checkov = (await toolPath("checkov"))!;
  // --skip-download: no call home for guidelines or policies (and none is reachable here).
  const run = await runCommand(checkov, ["--skip-download", "--quiet", "-o", "json", ...args], {
    env: { BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" },
    timeoutMs: 120_000,
  });
  // Checkov exits 1 when anything fails; the report says what.
  assert.ok(run.code === 0 || run.code === 1, `checkov exited ${run.code}:\n${run.stderr}`);
  const parsed = JSON.parse(run.stdout);
  const reports = z.array(Report).parse(Array.isArray(parsed) ? parsed : [parsed]);
  for (const report of reports) assert.equal(report.summary.parsing_errors, 0, run.stdout);
  return {
    findings: reports.flatMap((r) => r.results.failed_checks)
      .map((f) => `${f.check_id} ${f.resource}`).sort(),
    passed: reports.reduce((sum, r) => sum + r.summary.passed, 0),
  };
}

Deno.test({
  name: `Checkov finds in each Kubernetes overlay only what is accepted${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    const kubectl = (await toolPath("kubectl"))!;
    const scratch = await Deno.makeTempDir({ prefix: "deploy_checkov_" });
    try {
      for (const overlay of overlayNames()) {
        const file = join(scratch, `${overlay}.yaml`);
        await Deno.writeTextFile(file, (await renderOverlay(kubectl, overlay)).yaml);
        const { findings, passed } = await scan(["--framework", "kubernetes", "-f", file]);
        // Checkov names a resource Kind.namespace.name; the file lists Kind/name.
        const found = findings.map((f) => f.replace(/^(\S+) (\w+)\.[^.]+\.(.+)$/, "$1 $2/$3"));
        const wanted = accepted.kubernetes.flatMap((a) =>
          (a.resources[overlay] ?? []).map((r) => `${a.check} ${r}`)
        ).sort();
        assert.deepEqual(
          found,
          wanted,
          `${overlay}: findings against deploy/checkov_accepted.yaml`,
        );
        assert.ok(passed > 50, `${overlay}: only ${passed} checks passed`);
      }
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});

Deno.test({
  name: `Checkov finds in the Terraform only what is accepted${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  async fn() {
    const { findings, passed } = await scan([
      "--framework",
      "terraform",
      "-d",
      join(ROOT, "deploy/terraform"),
    ]);
    const wanted = accepted.terraform.flatMap((a) => a.resources.map((r) => `${a.check} ${r}`))
      .sort();
    assert.deepEqual(findings, wanted, "findings against deploy/checkov_accepted.yaml");
    assert.ok(passed > 40, `only ${passed} checks passed`);
  },
});

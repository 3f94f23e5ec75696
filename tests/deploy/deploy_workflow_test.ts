/**
 * The deploy workflow, read as data: what starts it, what it may do, that its actions are
 * pinned and its steps call the project's own deploy tools with the arguments they take.
 * GitHub Actions cannot run here; the tools it calls are tested on their own (the
 * rehearsal, the bundle fetch, the overlay pin, the rollout script).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));
const workflow = parse(await read(".github/workflows/deploy.yml"));

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | boolean>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions: Record<string, string>;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly steps: Step[];
}
const jobs = workflow.jobs as Record<string, Job>;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

Deno.test("the deploy workflow starts on a promotion's dispatch or by hand with a version", async () => {
  const { DEPLOY_EVENT } = await import("../../pipeline/registry/deploy_dispatch.ts");
  assert.deepEqual(workflow.on.repository_dispatch.types, [DEPLOY_EVENT]);
  assert.equal(workflow.on.workflow_dispatch.inputs.version.required, true);
  assert.equal(workflow.concurrency["cancel-in-progress"], false);
});

Deno.test("least privilege: nothing by default, packages: write only where the image is pushed", () => {
  assert.deepEqual(workflow.permissions, {});
  assert.deepEqual(jobs.build.permissions, { contents: "read", packages: "write" });
  assert.deepEqual(jobs.staging.permissions, { contents: "read" });
  assert.deepEqual(jobs.production.permissions, { contents: "read" });
});

Deno.test("actions are pinned by commit, checkouts keep no credentials, no expression in a script", async () => {
  const deno = (await read(".deno-version")).trim();
  for (const [name, job] of Object.entries(jobs)) {
    for (const step of job.steps) {
      // By commit: a tag can be moved (the version is in a comment beside it).
      if (step.uses) assert.match(step.uses, /@[0-9a-f]{40}$/, `${name}: ${step.uses}`);
      if (step.uses?.startsWith("actions/checkout@")) {
        assert.equal(step.with?.["persist-credentials"], false, `${name}: checkout`);
      }
      if (step.uses?.startsWith("denoland/setup-deno@")) {
        assert.equal(step.with?.["deno-version"], deno);
      }
      // Values reach scripts through env:, never pasted into the script (injection).
      assert.doesNotMatch(step.run ?? "", /\$\{\{/, `${name}: ${step.name}`);
      assert.doesNotMatch(
        step.run ?? "",
        /echo[^\n|]*\$(GHCR_TOKEN|KUBE_CONFIG|MLFLOW_TRACKING_URI)/,
      );
    }
  }
  const trivy = jobs.build.steps.find((s) => s.uses?.startsWith("aquasecurity/trivy-action@"));
  assert.equal(trivy!.with?.["exit-code"], "1", "a finding fails the build");
});

Deno.test("build: bundle fetched by version, binary target, rehearsed, scanned, pushed by digest", async () => {
  const names = jobs.build.steps.map((s) => s.name ?? s.uses);
  const at = (pattern: RegExp) => names.findIndex((n) => pattern.test(n ?? ""));
  const order = [/Fetch/, /Build the image/, /Rehearse/, /trivy|Scan/, /Push/].map(at);
  assert.ok(order.every((i) => i >= 0), `${names}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, "fetch, build, rehearse, scan, push");
  const script = runs(jobs.build);
  assert.match(script, /tools\/deploy\/fetch_bundle\.ts --name "\$MODEL" --version "\$VERSION"/);
  assert.match(script, /--output dist\/deploy_bundle\.json/);
  // No --target: the Dockerfile's default, the compiled binary.
  assert.match(script, /docker build --build-arg BUNDLE=dist\/deploy_bundle\.json/);
  assert.doesNotMatch(script, /--target/);
  assert.match(script, /deno task deploy:rehearse --engine docker --image "\$TAG"/);
  assert.match(script, /--password-stdin/);
  assert.match(script, /RepoDigests/);
  const tasks = JSON.parse(await read("deno.json")).tasks;
  assert.match(tasks["deploy:rehearse"].command, /tools\/deploy\/rehearse\.ts/);
});

Deno.test("staging then production (protected), both through the rollout script", async () => {
  assert.equal(jobs.staging.environment, "staging");
  assert.equal(jobs.production.environment, "production");
  assert.deepEqual(jobs.production.needs, ["build", "staging"]);
  for (const env of ["staging", "production"]) {
    assert.match(
      runs(jobs[env]),
      new RegExp(`tools/deploy/kube_rollout\\.sh ${env} "\\$IMAGE" dist/deploy_bundle\\.json`),
    );
  }
  const script = await read("tools/deploy/kube_rollout.sh");
  assert.match(script, /overlay="\$\{OVERLAYS:-deploy\/kubernetes\/overlays\}\/\$environment"/);
  assert.match(script, /kubectl apply -k "\$overlay"/);
  assert.match(script, /rollout undo/);
});

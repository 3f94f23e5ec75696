/**
 * The Terraform of deploy/terraform, offline (`terraform init` would download providers,
 * so init and validate run in .github/workflows/infrastructure.yml): formatting, the
 * alert policies' rules generated from the Prometheus rules and valid PromQL, every
 * environment with its own remote state, exact provider pins and every module input, and
 * the same capacity bounds as the Kubernetes production overlay.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runCommand } from "../../tools/run_command.ts";
import {
  ALERT_RULES_PATH,
  renderAlertRules,
  UPTIME_ALERTS,
} from "../../tools/deploy/write_cloud_alert_rules.ts";
import { AlertingRules } from "../../tools/deploy/cloud_alert_rules.ts";
import { OPTIONS } from "../../serve/config.ts";
import { ROOT } from "../support/containers.ts";
import { missingTools, toolPath } from "../support/deploy_tools.ts";

const TERRAFORM = join(ROOT, "deploy/terraform");
const MODULE = join(TERRAFORM, "modules/crime_serve");
const read = (path: string) => Deno.readTextFile(path);
const environments = [...Deno.readDirSync(join(TERRAFORM, "environments"))]
  .filter((e) => e.isDirectory).map((e) => e.name).sort();
const suffix = (reason: string | undefined) => (reason ? ` (skipped: ${reason})` : "");

const terraformSkip = await missingTools("terraform");
Deno.test({
  name: `terraform fmt finds nothing to change${suffix(terraformSkip)}`,
  ignore: terraformSkip !== undefined,
  async fn() {
    const terraform = (await toolPath("terraform"))!;
    const environment = Deno.env.toObject();
    // A CLI configuration naming a provider mirror is irrelevant to fmt and may not exist.
    delete environment.TF_CLI_CONFIG_FILE;
    const command = new Deno.Command(terraform, {
      args: ["fmt", "-check", "-recursive", "-diff", TERRAFORM],
      env: environment,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    });
    const { code, stdout, stderr } = await command.output();
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, text);
  },
});

Deno.test("the alert policies' rules are those generated from the Prometheus rules", async () => {
  const current = await read(join(ROOT, ALERT_RULES_PATH));
  assert.equal(current, await renderAlertRules(), "run deno task deploy:alert-rules");
  const mirrored = (JSON.parse(current) as { name: string }[]).map((r) => r.name);
  const alerts = AlertingRules.parse(
    parse(await read(join(ROOT, "monitoring/prometheus/rules/crime_serve_alerts.yml"))),
  ).groups.flatMap((g) => g.rules.map((r) => r.alert));
  // Every Prometheus alert is either a PromQL policy or one of the uptime checks' alerts.
  assert.deepEqual([...mirrored, ...UPTIME_ALERTS].sort(), [...alerts].sort());
  const monitoring = await read(join(MODULE, "monitoring.tf"));
  for (const alert of UPTIME_ALERTS) assert.match(monitoring, new RegExp(`alert += "${alert}"`));
  assert.match(monitoring, /jsondecode\(file\("\$\{path\.module\}\/alert_rules\.json"\)\)/);
});

const promtoolSkip = await missingTools("promtool");
Deno.test({
  name: `the alert policies' queries, recording rules inlined, are valid PromQL${
    suffix(promtoolSkip)
  }`,
  ignore: promtoolSkip !== undefined,
  async fn() {
    const rules = JSON.parse(await read(join(ROOT, ALERT_RULES_PATH))) as {
      name: string;
      expr: string;
    }[];
    const file = await Deno.makeTempFile({ suffix: ".yml" });
    try {
      await Deno.writeTextFile(
        file,
        stringify({
          groups: [{ name: "cloud", rules: rules.map((r) => ({ alert: r.name, expr: r.expr })) }],
        }),
      );
      const run = await runCommand((await toolPath("promtool"))!, ["check", "rules", file]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      await Deno.remove(file);
    }
  },
});

/** The names of the `variable` blocks in the .tf files of `dir`, and whether each has a default. */
async function variables(dir: string): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.name.endsWith(".tf")) continue;
    const text = await read(join(dir, entry.name));
    for (const [, name, body] of text.matchAll(/^variable "(\w+)" \{\n([\s\S]*?)^\}/gm)) {
      found.set(name, /^\s+default\s+=/m.test(body));
    }
  }
  return found;
}

Deno.test("each environment: its own GCS state, exact provider pins, every module input", async () => {
  assert.deepEqual(environments, ["production", "staging"]);
  const required = [...await variables(MODULE)].filter(([, hasDefault]) => !hasDefault)
    .map(([name]) => name);
  assert.ok(required.includes("serve_image") && required.includes("project_id"));
  const states = new Set<string>();
  for (const environment of environments) {
    const dir = join(TERRAFORM, "environments", environment);
    const backend = await read(join(dir, "backend.tf"));
    const bucket = /backend "gcs" \{\s+bucket = "([^"]+)"\s+prefix = "([^"]+)"/.exec(backend);
    assert.ok(bucket, `${environment}: no gcs backend with bucket and prefix`);
    assert.doesNotMatch(backend, /credentials|access_token|impersonate/, "no credential");
    states.add(`${bucket[1]}/${bucket[2]}`);
    const versions = await read(join(dir, "versions.tf"));
    for (
      const [, source, version] of versions.matchAll(
        /source\s+= "([^"]+)"\s+version\s+= "([^"]+)"/g,
      )
    ) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${environment}: ${source} ${version} is not exact`);
    }
    assert.equal([...versions.matchAll(/source\s+=/g)].length, 2, `${environment}: providers`);
    const main = await read(join(dir, "main.tf"));
    const module = /module "crime" \{([\s\S]*?)\n\}/.exec(main)![1];
    for (const name of required) {
      assert.match(module, new RegExp(`^\\s+${name}\\s+=`, "m"), `${environment}: ${name}`);
    }
    assert.match(module, new RegExp(`environment\\s+= "${environment}"`));
    const rootVariables = await variables(dir);
    const tfvars = await read(join(dir, "terraform.tfvars"));
    for (const [name, hasDefault] of rootVariables) {
      if (!hasDefault) assert.match(tfvars, new RegExp(`^${name}\\s+=`, "m"), `${environment}`);
    }
    for (const [, image] of tfvars.matchAll(/_image\s+= "([^"]+)"/g)) {
      assert.match(image, /@sha256:[0-9a-f]{64}$/, `${environment}: ${image} not by digest`);
    }
  }
  assert.equal(states.size, environments.length, "each environment has its own state");
});

Deno.test("production's Cloud Run bounds are the Kubernetes production overlay's", async () => {
  const main = await read(join(TERRAFORM, "environments/production/main.tf"));
  const number = (name: string) => Number(new RegExp(`${name}\\s+= (\\d+)`).exec(main)![1]);
  const hpa = parse(
    await read(join(ROOT, "deploy/kubernetes/overlays/production/horizontal_pod_autoscaler.yaml")),
  );
  assert.equal(number("serve_min_instances"), hpa.spec.minReplicas);
  assert.equal(number("serve_max_instances"), hpa.spec.maxReplicas);
});

Deno.test("every variable the Cloud Run server gets is one the server reads", async () => {
  const serve = await read(join(MODULE, "serve.tf"));
  const names = [...serve.matchAll(/env \{\s+name\s+= "(\w+)"/g)].map((m) => m[1]);
  assert.ok(names.includes("SERVE_ADMIN_TOKEN") && names.length >= 10, names.join(", "));
  const known = new Set(OPTIONS.map((o) => o.env));
  assert.deepEqual(names.filter((name) => !known.has(name)), [], "a misspelt one would be ignored");
});

/**
 * The Prometheus rules and dashboards, checked offline with Debian's `promtool`: the rule
 * files are valid, their unit tests (monitoring/prometheus/tests) pass, and every
 * dashboard panel's query is valid PromQL. The Alertmanager configuration is checked
 * with `amtool`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCommand } from "../../tools/run_command.ts";
import { ROOT } from "../support/containers.ts";
import { dashboardQueries } from "../support/dashboard_queries.ts";

const has = (path: string) => Deno.stat(path).then(() => true, () => false);
const skip = !await has("/usr/bin/promtool")
  ? "/usr/bin/promtool is missing (Debian package prometheus)"
  : undefined;
if (skip) console.error(`Prometheus rule tests skipped: ${skip}`);
const rules = join(ROOT, "monitoring/prometheus/rules");

Deno.test({
  name: "the recording and alerting rules are valid and pass their promtool unit tests",
  ignore: skip !== undefined,
  async fn() {
    const files = [...Deno.readDirSync(rules)].map((e) => join(rules, e.name)).sort();
    const check = await runCommand("promtool", ["check", "rules", ...files]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const tests = join(ROOT, "monitoring/prometheus/tests/alerts_test.yml");
    const run = await runCommand("promtool", ["test", "rules", tests]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /SUCCESS/);
  },
});

Deno.test({
  name: "every dashboard panel's query is valid PromQL",
  ignore: skip !== undefined,
  async fn() {
    const queries = await dashboardQueries();
    assert.ok(queries.length >= 15, `${queries.length} queries`);
    // promtool parses PromQL offline only in rule files: one recording rule per query.
    const file = await Deno.makeTempFile({ suffix: ".yml" });
    try {
      const group = {
        name: "dashboards",
        rules: queries.map((q, i) => ({ record: `dashboard_query_${i}`, expr: q.expr })),
      };
      await Deno.writeTextFile(file, stringify({ groups: [group] }));
      const check = await runCommand("promtool", ["check", "rules", file]);
      assert.equal(check.code, 0, check.stdout + check.stderr);
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name: "the Alertmanager configuration is valid and routes the retrain alerts to the receiver",
  ignore: !await has("/usr/bin/amtool"),
  async fn() {
    const config = join(ROOT, "monitoring/alertmanager/alertmanager.yml");
    const check = await runCommand("amtool", ["check-config", config]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const route = async (...labels: string[]) =>
      (await runCommand("amtool", [
        "config",
        "routes",
        "test",
        `--config.file=${config}`,
        ...labels,
      ]))
        .stdout.trim();
    assert.equal(await route("alertname=CrimeServeDataDrift", "action=retrain"), "retrain");
    assert.equal(await route("alertname=CrimeServeDown"), "unrouted");
  },
});

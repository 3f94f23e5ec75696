/**
 * Writes deploy/terraform/modules/crime_serve/alert_rules.json from the Prometheus rules
 * (see cloud_alert_rules.ts), or with `--check` fails if the file is not what it would
 * write. `deno task deploy:alert-rules [--check]`.
 *
 * @module
 */
import { parse } from "yaml";
import { cloudAlertRules } from "./cloud_alert_rules.ts";

/** Alerts about the scrape itself: Cloud Monitoring's uptime checks answer them (monitoring.tf). */
export const UPTIME_ALERTS = ["CrimeServeDown", "CrimeServeModelNotReady"] as const;

const root = new URL("../../", import.meta.url);
/** Where the rules are written, relative to the project root. */
export const ALERT_RULES_PATH = "deploy/terraform/modules/crime_serve/alert_rules.json";

/** The file's content as it should be. */
export async function renderAlertRules(): Promise<string> {
  const read = async (path: string) => parse(await Deno.readTextFile(new URL(path, root)));
  const rules = cloudAlertRules(
    await read("monitoring/prometheus/rules/crime_serve_recording.yml"),
    await read("monitoring/prometheus/rules/crime_serve_alerts.yml"),
    UPTIME_ALERTS,
  );
  return `${JSON.stringify(rules, null, 2)}\n`;
}

if (import.meta.main) {
  const wanted = await renderAlertRules();
  const target = new URL(ALERT_RULES_PATH, root);
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(target).catch(() => "");
    if (current !== wanted) {
      console.error(`${ALERT_RULES_PATH} is out of date: run deno task deploy:alert-rules`);
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(target, wanted);
    console.log(`wrote ${ALERT_RULES_PATH}`);
  }
}

/**
 * The Prometheus alerting rules of `monitoring/prometheus/rules`, rewritten for Cloud
 * Monitoring's PromQL alert policies (deploy/terraform), which evaluate one expression
 * each and know no recording rules: every recorded series an alert reads is replaced by
 * its expression, in parentheses. The alerts answered by uptime checks instead (the
 * scrape itself) are left out by name.
 *
 * @module
 */
import { z } from "zod";

const RecordingRule = z.object({ record: z.string().min(1), expr: z.string().min(1) });
const AlertingRule = z.object({
  alert: z.string().min(1),
  expr: z.string().min(1),
  for: z.string().regex(/^\d+[smh]$/).optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.object({ summary: z.string(), description: z.string() }),
});
const RuleFile = <T extends z.ZodType>(rule: T) =>
  z.object({ groups: z.array(z.object({ name: z.string(), rules: z.array(rule) })) });

/** Rule files as parsed YAML (`yaml`'s `parse`). */
export const RecordingRules = RuleFile(RecordingRule);
/** See {@linkcode RecordingRules}. */
export const AlertingRules = RuleFile(AlertingRule);

/** One alert policy: a PromQL condition and what the notification says. */
export interface CloudAlertRule {
  readonly name: string;
  readonly expr: string;
  /** How long the condition must hold, in seconds as Cloud Monitoring writes it (`300s`). */
  readonly duration: string;
  readonly severity: string;
  /** `retrain` for the alerts that should start training, else empty. */
  readonly action: string;
  readonly description: string;
}

const SECONDS = { s: 1, m: 60, h: 3600 } as const;

function seconds(duration: string | undefined): string {
  if (!duration) return "0s";
  const unit = duration.at(-1) as keyof typeof SECONDS;
  return `${Number(duration.slice(0, -1)) * SECONDS[unit]}s`;
}

/**
 * The alerting rules in `alerting`, less those named in `excluded`, with the recording
 * rules of `recording` inlined; throws if an alert reads a recorded series (a name with a
 * colon) that `recording` does not define, or if `excluded` names an unknown alert.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cloudAlertRules } from "./cloud_alert_rules.ts";
 *
 * const recording = { groups: [{ name: "r", rules: [{ record: "job:x:rate5m", expr: "sum(rate(x[5m]))" }] }] };
 * const alerting = { groups: [{ name: "a", rules: [
 *   { alert: "High", expr: "job:x:rate5m > 1", for: "5m", labels: { severity: "page" },
 *     annotations: { summary: "s", description: "d" } },
 *   { alert: "Down", expr: "up == 0", annotations: { summary: "s", description: "d" } },
 * ] }] };
 * const [high, ...rest] = cloudAlertRules(recording, alerting, ["Down"]);
 * assert.equal(high.expr, "(sum(rate(x[5m]))) > 1");
 * assert.equal(high.duration, "300s");
 * assert.equal(rest.length, 0);
 * ```
 */
export function cloudAlertRules(
  recording: unknown,
  alerting: unknown,
  excluded: readonly string[] = [],
): CloudAlertRule[] {
  const records = new Map(
    RecordingRules.parse(recording).groups.flatMap((g) => g.rules)
      .map((r) => [r.record, r.expr.trim()] as const),
  );
  const alerts = AlertingRules.parse(alerting).groups.flatMap((g) => g.rules);
  const unknown = excluded.filter((name) => !alerts.some((a) => a.alert === name));
  if (unknown.length) throw new Error(`no such alerting rule: ${unknown.join(", ")}`);
  return alerts.filter((a) => !excluded.includes(a.alert)).map((a) => {
    const expr = a.expr.trim().replace(/\b[a-z_]+:[a-z0-9_:]+/g, (name) => {
      const inlined = records.get(name);
      if (inlined === undefined) {
        throw new Error(`${a.alert} reads ${name}, which no recording rule defines`);
      }
      return `(${inlined})`;
    });
    return {
      name: a.alert,
      expr: expr.replace(/\s*\n\s*/g, " "),
      duration: seconds(a.for),
      severity: a.labels.severity ?? "ticket",
      action: a.labels.action ?? "",
      description: a.annotations.description,
    };
  });
}

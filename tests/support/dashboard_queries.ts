/**
 * The PromQL query of every panel of the Grafana dashboards (monitoring/grafana), with
 * Grafana's variables replaced by what the compose stack's Prometheus answers to: the
 * `crime-serve` job, the `rows` window and a one-minute rate interval.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "./containers.ts";

/** One panel query. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

/** Grafana's variables as the tests resolve them. */
export const VARIABLES: Record<string, string> = {
  $__rate_interval: "1m",
  $job: "crime-serve",
  $window: "rows",
};

/** Every panel query of every dashboard, variables resolved. */
export async function dashboardQueries(): Promise<PanelQuery[]> {
  const dir = join(ROOT, "monitoring/grafana/dashboards");
  const queries: PanelQuery[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".json")) continue;
    const dashboard = JSON.parse(await Deno.readTextFile(join(dir, entry.name)));
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        const expr = Object.entries(VARIABLES).reduce(
          (text, [name, value]) => text.replaceAll(name, value),
          target.expr as string,
        );
        queries.push({ dashboard: dashboard.title, panel: panel.title, expr });
      }
    }
  }
  return queries;
}

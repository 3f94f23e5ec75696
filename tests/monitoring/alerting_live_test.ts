/**
 * The drift alert end to end, on real processes: the prediction server, Debian's
 * Prometheus (the project's rules, unchanged, scraping every second) and Alertmanager
 * (the project's routing, its webhook pointed at the alert receiver), and the alert
 * receiver, whose action here is a command that records the alert. Training-like traffic
 * raises no alert; traffic shifted by +0.3 on most features makes `CrimeServeDataDrift`
 * fire (after its `for: 1m`), Alertmanager delivers it and the receiver acts on it. The
 * time from the shift to firing and to delivery is printed.
 *
 * Observed values for some predictions go to `POST /feedback`, so the realised error is
 * exported too; every panel query of the Grafana dashboards then runs against the same
 * Prometheus and must answer with data (Grafana itself cannot run here).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../tools/serve/smoke_test.ts";
import { waitFor } from "../support/containers.ts";
import {
  monitoringSkipReason,
  startAlertmanager,
  startPrometheus,
  startReceiver,
} from "../support/monitoring_stack.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";
import { dashboardQueries } from "../support/dashboard_queries.ts";

const skip = await monitoringSkipReason();
if (skip) console.error(`live alerting test skipped: ${skip}`);

const bundle = await testBundle();

interface PromAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

async function alerts(prometheus: string): Promise<PromAlert[]> {
  const body = await (await fetch(`${prometheus}/api/v1/alerts`)).json();
  return body.data.alerts;
}

async function query(prometheus: string, promql: string): Promise<unknown[]> {
  const url = `${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const body = await (await fetch(url)).json();
  if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

Deno.test({
  name: "shifted traffic fires the drift alert, Alertmanager delivers it, the receiver acts",
  ignore: skip !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "alerting_live_" });
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, bundle);
    const acted = join(dir, "acted.jsonl");
    const stops: (() => Promise<unknown>)[] = [];
    try {
      const server = await spawnServer([
        ...sourceCommand(),
        ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
        ...["--drift-window-rows", "400", "--drift-min-rows", "100"],
        ...["--feedback-store", `sqlite:${join(dir, "feedback.db")}`],
      ]);
      stops.push(() => server.stop());
      await waitUntilReady(server.url, 30_000);
      const receiver = await startReceiver(["sh", "-c", `cat >> '${acted}'; echo >> '${acted}'`]);
      stops.push(() => receiver.stop());
      const alertmanager = await startAlertmanager(`${receiver.url}/alerts`);
      stops.push(() => alertmanager.stop());
      const prometheus = await startPrometheus({
        target: `127.0.0.1:${server.port}`,
        alertmanager: alertmanager.url.replace("http://", ""),
        interval: "1s",
      });
      stops.push(() => prometheus.stop());

      const post = async (path: string, body: unknown, status: number) => {
        const response = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, status, await response.clone().text());
        return response;
      };
      // As clients do: batches, single rows, and now and then a row that breaks the contract.
      const singles: { requestId: string; prediction: number }[] = [];
      const send = async (rows: Record<string, number | null>[]) => {
        await (await post("/predict/batch", { rows: rows.slice(1) }, 200)).body?.cancel();
        singles.push(await (await post("/predict", rows[0], 200)).json());
        await (await post("/predict", { ...rows[0], [bundle.features[0].name]: 7 }, 422)).body
          ?.cancel();
      };
      const alike = (seed: number) =>
        Array.from({ length: 100 }, (_, i) => randomRow(bundle, 1000 * seed + i));
      // Training-like traffic for 12 s: the window fills and is judged, nothing fires.
      for (let s = 0; s < 12; s++) {
        await send(alike(s));
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      // Observed values come back for the single-row predictions.
      const actuals = singles.map(({ requestId, prediction }) => ({
        requestId,
        row: 0,
        actual: Math.min(1, prediction + 0.05),
      }));
      await (await post("/feedback", { actuals }, 200)).body?.cancel();
      const share = await query(prometheus.url, 'drift_share{window="rows"}');
      assert.equal(share.length, 1, "Prometheus scrapes the drift gauges");
      const calm = await alerts(prometheus.url);
      assert.deepEqual(calm.filter((a) => a.labels.alertname === "CrimeServeDataDrift"), []);

      // Shifted traffic: the first 15 of 20 monitored features move up by 0.3.
      const monitored = Object.keys(bundle.reference.features).slice(0, 15);
      const shifted = (seed: number) =>
        alike(seed).map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([name, value]) => [
              name,
              monitored.includes(name) && value !== null ? Math.min(1, value + 0.3) : value,
            ]),
          )
        );
      const shiftedAt = Date.now();
      let keepSending = true;
      const traffic = (async () => {
        for (let s = 100; keepSending; s++) {
          await send(shifted(s));
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      })();
      try {
        await waitFor(
          "CrimeServeDataDrift firing",
          async () =>
            (await alerts(prometheus.url)).some((a) =>
              a.labels.alertname === "CrimeServeDataDrift" && a.state === "firing"
            ) || undefined,
          150_000,
          1000,
        );
        const firedAfter = (Date.now() - shiftedAt) / 1000;
        const delivered = await waitFor(
          "the receiver's action",
          async () => {
            const text = await Deno.readTextFile(acted).catch(() => "");
            return text.trim() ? text : undefined;
          },
          60_000,
          500,
        );
        const deliveredAfter = (Date.now() - shiftedAt) / 1000;
        const alert = JSON.parse(delivered.trim().split("\n")[0]);
        assert.equal(alert.labels.alertname, "CrimeServeDataDrift");
        assert.equal(alert.labels.action, "retrain");
        assert.equal(alert.status, "firing");
        assert.match(
          alert.annotations.summary,
          /Inputs have drifted: \d+(\.\d+)?% of the features/,
        );
        console.error(
          `drift alert: firing ${firedAfter.toFixed(1)} s after the shift (for: 1m), ` +
            `acted on by the receiver ${deliveredAfter.toFixed(1)} s after it`,
        );

        // Every dashboard panel's query answers with data from this Prometheus.
        const empty: string[] = [];
        for (const { dashboard, panel, expr } of await dashboardQueries()) {
          const result = await query(prometheus.url, expr);
          if (result.length === 0) empty.push(`${dashboard} / ${panel}: ${expr}`);
        }
        assert.deepEqual(empty, [], "dashboard panels without data");
      } finally {
        keepSending = false;
        await traffic;
      }
    } finally {
      for (const stop of stops.reverse()) await stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/**
 * The alert receiver's handler, in-process: which alerts it acts on, and its answers to
 * bodies that are not Alertmanager notifications and to a failing action. (Its command
 * action runs for real in alerting_live_test.ts.)
 */
import assert from "node:assert/strict";
import { type Alert, alertHandler, workflowAction } from "../../tools/monitoring/alert_receiver.ts";

const alert = (status: "firing" | "resolved", labels: Record<string, string>) => ({
  status,
  labels,
  annotations: { summary: "Inputs have drifted: 75% of the features" },
  startsAt: "2026-12-01T10:00:00Z",
  fingerprint: crypto.randomUUID(),
});

function post(handler: (r: Request) => Promise<Response>, body: unknown) {
  return handler(
    new Request("http://receiver/alerts", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

Deno.test("only firing alerts labelled action=retrain are acted on", async () => {
  const acted: Alert[] = [];
  const logs: Record<string, unknown>[] = [];
  const handler = alertHandler((a) => {
    acted.push(a);
    return Promise.resolve("dispatched");
  }, (entry) => logs.push(entry));
  const response = await post(handler, {
    version: "4",
    status: "firing",
    receiver: "retrain",
    alerts: [
      alert("firing", { alertname: "CrimeServeDataDrift", action: "retrain" }),
      alert("resolved", { alertname: "CrimeServeDataDrift", action: "retrain" }),
      alert("firing", { alertname: "CrimeServeDown" }),
    ],
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { acted: ["dispatched"] });
  assert.deepEqual(acted.map((a) => a.labels.alertname), ["CrimeServeDataDrift"]);
  assert.ok(logs.some((l) => l.msg === "acted on alert" && l.outcome === "dispatched"));
});

Deno.test("a body that is not a notification gets 400 naming the problem", async () => {
  const handler = alertHandler(undefined, () => {});
  const notJson = await post(handler, "{nope");
  assert.equal(notJson.status, 400);
  assert.match((await notJson.json()).error, /not JSON/);
  const wrong = await post(handler, { version: "4", status: "firing", alerts: "x" });
  assert.equal(wrong.status, 400);
  assert.match((await wrong.json()).error, /receiver: .*alerts: /);
  const get = await handler(new Request("http://receiver/alerts"));
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await handler(new Request("http://receiver/health"))).status, 200);
});

Deno.test("a failing action is answered 502 so that Alertmanager retries", async () => {
  const handler = alertHandler(() => Promise.reject(new Error("GitHub answered 401")), () => {});
  const response = await post(handler, {
    version: "4",
    status: "firing",
    receiver: "retrain",
    alerts: [alert("firing", { alertname: "CrimeServeDataDrift", action: "retrain" })],
  });
  assert.equal(response.status, 502);
  assert.match((await response.json()).error, /401/);
});

// GitHub cannot be reached from here: a local HTTP server stands in for its REST API and
// records the dispatch request, answering as GitHub documents (204, or 401 for a bad token).
Deno.test("the workflow action dispatches the training workflow through GitHub's REST API", async () => {
  const seen: { method: string; path: string; auth: string | null; body: unknown }[] = [];
  const fake = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname,
        auth: request.headers.get("authorization"),
        body: await request.json(),
      });
      return new Response(null, {
        status: request.headers.get("authorization") === "Bearer good" ? 204 : 401,
      });
    },
  );
  try {
    const target = {
      apiUrl: `http://127.0.0.1:${fake.addr.port}`,
      repository: "owner/crime",
      token: "good",
      workflow: "train.yml",
      ref: "main",
    };
    const drift = alert("firing", { alertname: "CrimeServeDataDrift", action: "retrain" });
    assert.equal(await workflowAction(target)(drift), "dispatched train.yml on owner/crime@main");
    assert.deepEqual(seen, [{
      method: "POST",
      path: "/repos/owner/crime/actions/workflows/train.yml/dispatches",
      auth: "Bearer good",
      body: { ref: "main" },
    }]);
    await assert.rejects(workflowAction({ ...target, token: "bad" })(drift), /GitHub answered 401/);
  } finally {
    await fake.shutdown();
  }
});

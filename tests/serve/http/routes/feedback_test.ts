/**
 * `POST /feedback` in-process, on a real SQLite store in a temporary directory: values
 * are joined with the predictions they name, the realised error in `/monitoring` and
 * `/metrics` is that of the pairs, and every way of getting it wrong has its own clear
 * answer, with nothing recorded.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore, startFeedback } from "../../../../serve/feedback/feedback_service.ts";
import { jsonLogger } from "../../../../serve/telemetry/logger.ts";
import { MonitoringResponseSchema } from "../../../../serve/monitoring/report_schema.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();

async function withFeedback(
  work: (app: Awaited<ReturnType<typeof harness>>["app"]) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "feedback_route_" });
  const feedback = startFeedback({
    store: await openStore(`sqlite:${join(dir, "feedback.db")}`),
    maxAgeMs: 86_400_000,
    logger: jsonLogger("error", () => {}),
    onDrop: () => {},
  });
  try {
    const { app } = await harness(bundle, { feedback });
    await work(app);
  } finally {
    await feedback.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("feedback joins predictions; the realised error is that of the pairs", async () => {
  await withFeedback(async (app) => {
    const predicted: { requestId: string; row: number; prediction: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await postJson(app, "/predict", randomRow(bundle, i), {
        "x-request-id": `one-${i}`,
      });
      predicted.push({
        requestId: `one-${i}`,
        row: 0,
        prediction: (await response.json()).prediction,
      });
    }
    const batch = await postJson(app, "/predict/batch", {
      rows: [randomRow(bundle, 10), randomRow(bundle, 11), randomRow(bundle, 12)],
    });
    const batchId = batch.headers.get("x-request-id")!;
    (await batch.json()).predictions.forEach((prediction: number, row: number) =>
      predicted.push({ requestId: batchId, row, prediction })
    );
    const actuals = predicted.map((p, i) => ({
      requestId: p.requestId,
      row: p.row,
      actual: Math.round(Math.min(1, p.prediction + (i % 2 ? 0.1 : -0.05)) * 1000) / 1000,
    }));
    const first = await postJson(app, "/feedback", { actuals: actuals.slice(0, 5) });
    assert.equal(first.status, 200, await first.clone().text());
    assert.deepEqual({ ...(await first.json()), requestId: "-" }, {
      accepted: 5,
      alreadyRecorded: 0,
      requestId: "-",
    });
    const rest = await postJson(app, "/feedback", { actuals });
    assert.deepEqual((await rest.json()).alreadyRecorded, 5);

    const errors = predicted.map((p, i) => actuals[i].actual - p.prediction);
    const rmse = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    const mae = errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length;
    const report = MonitoringResponseSchema.parse(await (await app.request("/monitoring")).json());
    const hour = report.realised.find((r) => r.window === "1h")!;
    assert.equal(hour.pairs, 9);
    assert.ok(Math.abs(hour.rmse - rmse) < 1e-12, `${hour.rmse} vs ${rmse}`);
    assert.ok(Math.abs(hour.mae - mae) < 1e-12);
    assert.equal(report.cvRmse, bundle.metrics.cv_rmse);
    const metrics = await (await app.request("/metrics")).text();
    assert.match(
      metrics,
      new RegExp(
        `^realised_rmse\\{window="24h",model_version="${hour.modelVersion}"\\} ${rmse}`,
        "m",
      ),
    );
    assert.match(metrics, /^model_cv_rmse\{model_version="[^"]+"\} 0\.02$/m);
  });
});

Deno.test("bad feedback gets a clear 4xx, and nothing of it is recorded", async () => {
  await withFeedback(async (app) => {
    await postJson(app, "/predict", randomRow(bundle, 1), { "x-request-id": "known" });
    const send = async (body: unknown) => {
      const response = await postJson(app, "/feedback", body);
      return { status: response.status, body: await response.json() };
    };
    const range = await send({ actuals: [{ requestId: "known", actual: 1.5 }] });
    assert.equal(range.status, 422);
    assert.deepEqual(
      range.body.issues.map((i: { path: string; rule: string }) => [i.path, i.rule]),
      [["$.actuals[0].actual", "maximum"]],
    );
    const shape = await send({ actuals: [{ row: 0, actual: 0.1, extra: 1 }] });
    assert.equal(shape.status, 422);
    assert.deepEqual(
      new Set(shape.body.issues.map((i: { rule: string }) => i.rule)),
      new Set(["required", "unknown_field"]),
    );
    assert.equal((await send({ actuals: [] })).status, 422);
    const malformed = await postJson(app, "/feedback", "{not json");
    assert.equal(malformed.status, 400);

    const unknown = await send({
      actuals: [{ requestId: "known", actual: 0.2 }, { requestId: "never", row: 3, actual: 0.2 }],
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, "unknown_prediction");
    assert.match(unknown.body.message, /nothing recorded: 1 of the rows: never row 3: not found/);
    assert.deepEqual(unknown.body.issues.map((i: { path: string }) => i.path), ["$.actuals[1]"]);
    // The valid value beside it was not recorded either: it goes in now, once.
    assert.equal((await send({ actuals: [{ requestId: "known", actual: 0.2 }] })).body.accepted, 1);
    const conflict = await send({ actuals: [{ requestId: "known", actual: 0.3 }] });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error, "feedback_conflict");
  });
});

Deno.test("a feedback body of junk is refused by size, or parsed in bounded time", async () => {
  await withFeedback(async (app) => {
    const junk = (keys: number) =>
      JSON.stringify({
        actuals: [{
          requestId: "a",
          actual: 0.1,
          ...Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 1])),
        }],
      });
    // 1000 values of 512 bytes: a body beyond 512 000 bytes is refused unread.
    const huge = await postJson(app, "/feedback", junk(700_000));
    assert.equal(huge.status, 413);
    assert.equal((await huge.json()).limit, 512_000);
    const body = junk(45_000);
    const started = performance.now();
    const fits = await postJson(app, "/feedback", body);
    assert.equal(fits.status, 422);
    const issues = (await fits.json()).issues;
    assert.ok(issues.length <= 100, `${issues.length} issues listed`);
    console.error(
      `45k junk keys (${junk(45_000).length} bytes): ${
        (performance.now() - started).toFixed(0)
      } ms`,
    );
  });
});

Deno.test("with no feedback store, POST /feedback answers 503 and says so", async () => {
  const { app } = await harness(bundle);
  const response = await postJson(app, "/feedback", { actuals: [{ requestId: "x", actual: 0.1 }] });
  assert.equal(response.status, 503);
  assert.match((await response.json()).message, /--feedback-store off/);
});

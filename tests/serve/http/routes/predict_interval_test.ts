/**
 * `?interval=true` on `POST /predict` and `POST /predict/batch`, in-process: the bounds
 * the bundle's intervals give for each row (grouped by the row's own feature value),
 * nothing added without the parameter, and a clear 422 for a wrong value or a model
 * trained without intervals.
 */
import assert from "node:assert/strict";
import { predictionBounds } from "../../../../pipeline/bundle/prediction_intervals.ts";
import {
  BatchPredictionResponseSchema,
  ErrorResponseSchema,
  PredictionResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, TEST_INTERVAL_LEVEL, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();
const rows = [randomRow(bundle, 7), randomRow(bundle, 8), randomRow(bundle, 9)];

Deno.test("POST /predict?interval=true answers the row's interval around its prediction", async () => {
  const { app } = await harness(bundle);
  const response = await postJson(app, "/predict?interval=true", rows[0]);
  assert.equal(response.status, 200);
  const body = PredictionResponseSchema.parse(await response.json());
  assert.equal(body.intervalLevel, TEST_INTERVAL_LEVEL);
  const expected = predictionBounds(
    bundle.intervals!,
    [body.prediction],
    [rows[0].racepctblack as number],
  );
  assert.equal(body.lower, expected.lower[0]);
  assert.equal(body.upper, expected.upper[0]);
  assert.ok(0 <= body.lower! && body.lower! < body.prediction && body.prediction < body.upper!);
  assert.ok(body.upper! <= 1);
});

Deno.test("without ?interval, or with false, the answer has no bounds", async () => {
  const { app } = await harness(bundle);
  for (const path of ["/predict", "/predict?interval=false"]) {
    const body = await (await postJson(app, path, rows[0])).json();
    assert.equal("lower" in body || "upper" in body || "intervalLevel" in body, false, path);
  }
  const batch = await (await postJson(app, "/predict/batch", { rows })).json();
  assert.equal("lower" in batch, false);
});

Deno.test("POST /predict/batch?interval=true answers one interval per row, as single rows do", async () => {
  const { app } = await harness(bundle);
  const response = await postJson(app, "/predict/batch?interval=true", { rows });
  assert.equal(response.status, 200);
  const body = BatchPredictionResponseSchema.parse(await response.json());
  assert.equal(body.lower?.length, rows.length);
  assert.equal(body.upper?.length, rows.length);
  for (const [i, row] of rows.entries()) {
    const single = PredictionResponseSchema.parse(
      await (await postJson(app, "/predict?interval=true", row)).json(),
    );
    assert.equal(body.lower![i], single.lower);
    assert.equal(body.upper![i], single.upper);
  }
});

Deno.test("a wrong interval value is a 422 naming the parameter", async () => {
  const { app } = await harness(bundle);
  for (const path of ["/predict?interval=yes", "/predict/batch?interval=1"]) {
    const response = await postJson(app, path, path.includes("batch") ? { rows } : rows[0]);
    assert.equal(response.status, 422, path);
    const error = ErrorResponseSchema.parse(await response.json());
    assert.equal(error.error, "invalid_input");
    assert.equal(error.issues?.[0].path, "?interval");
  }
});

Deno.test("a model trained without intervals answers 422 intervals_unavailable when asked", async () => {
  const { app } = await harness(await testBundle({ intervals: false }));
  const response = await postJson(app, "/predict?interval=true", rows[0]);
  assert.equal(response.status, 422);
  const error = ErrorResponseSchema.parse(await response.json());
  assert.equal(error.error, "intervals_unavailable");
  assert.match(error.message, /trained without prediction intervals/);
  assert.equal((await postJson(app, "/predict", rows[0])).status, 200);
});

/**
 * A served bundle with state offsets, in-process: `/predict`, `/predict/batch` and
 * `/explain` add a known state's offset, a null state gets the model alone, the batch
 * reader and the general path agree, and a state outside the FIPS codes or a row without
 * the `state` key is a 422 naming `$.state`.
 */
import assert from "node:assert/strict";
import {
  BatchPredictionResponseSchema,
  ErrorResponseSchema,
  ExplanationResponseSchema,
  PredictionResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle({ stateOffsets: true, inputs: 5 });
const row = { ...randomRow(bundle, 7), state: null };

async function predicted(app: Awaited<ReturnType<typeof harness>>["app"], body: unknown) {
  const response = await postJson(app, "/predict", body);
  assert.equal(response.status, 200);
  return PredictionResponseSchema.parse(await response.json()).prediction;
}

Deno.test("California's offset is added to the prediction; a null state adds nothing", async () => {
  const { app } = await harness(bundle);
  const none = await predicted(app, row);
  const california = await predicted(app, { ...row, state: 6 });
  const texas = await predicted(app, { ...row, state: 48 });
  const unseen = await predicted(app, { ...row, state: 36 });
  assert.ok(Math.abs(california - none - 0.1) < 1e-12, `${california} vs ${none}`);
  assert.ok(Math.abs(texas - none + 0.05) < 1e-12);
  assert.equal(unseen, none);
});

Deno.test("a batch predicts each row with its own state, as single rows do", async () => {
  const { app } = await harness(bundle);
  const rows = [6, null, 48, 36, 6].map((state, i) => ({ ...randomRow(bundle, 20 + i), state }));
  // Compact (the batch reader) and pretty-printed with a BOM (the general path) alike.
  for (const body of [{ rows }, `\uFEFF${JSON.stringify({ rows }, null, 2)}`]) {
    const response = await postJson(app, "/predict/batch", body);
    assert.equal(response.status, 200);
    const batch = BatchPredictionResponseSchema.parse(await response.json()).predictions;
    const single = await Promise.all(rows.map((r) => predicted(app, r)));
    assert.deepEqual(batch, single);
  }
});

Deno.test("the explanation lists the offset as state's contribution", async () => {
  const { app } = await harness(bundle);
  const response = await postJson(app, `/explain?top=${bundle.features.length}`, {
    ...row,
    state: 6,
  });
  assert.equal(response.status, 200);
  const body = ExplanationResponseSchema.parse(await response.json());
  const state = body.contributions.find((c) => c.feature === "state")!;
  assert.ok(Math.abs(state.contribution - 0.1) < 1e-12);
  assert.equal(state.value, 6);
  const sum = body.contributions.reduce((s, c) => s + c.contribution, body.baseValue);
  assert.ok(Math.abs(sum - body.modelOutput) < 1e-9);
});

Deno.test("a state outside the FIPS codes, or no state key, is a 422 naming $.state", async () => {
  const { app } = await harness(bundle);
  const { state: _, ...withoutState } = row;
  for (const body of [{ ...row, state: 99 }, { ...row, state: "CA" }, withoutState]) {
    const response = await postJson(app, "/predict", body);
    assert.equal(response.status, 422);
    const error = ErrorResponseSchema.parse(await response.json());
    assert.ok(error.issues?.some((i) => i.path === "$.state"), JSON.stringify(error));
  }
});

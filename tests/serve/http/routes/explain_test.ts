/**
 * `POST /explain`, in-process: the answer adds up (base value plus every contribution is
 * the model's output, the prediction that output as /predict serves it), `top` picks the
 * largest contributions with their catalogue descriptions, and bad input is answered 422
 * naming the problem, a model without explanation data 409.
 */
import assert from "node:assert/strict";
import { sealBundle } from "../../../../pipeline/bundle/bundle_io.ts";
import {
  ErrorResponseSchema,
  ExplanationResponseSchema,
  PredictionResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, TEST_GAPPY, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();
const row = randomRow(bundle, 7);

Deno.test("POST /explain gives the prediction, the base value and the top 10 contributions", async () => {
  const { app, predictions } = await harness(bundle);
  const response = await postJson(app, "/explain", row);
  assert.equal(response.status, 200);
  const body = ExplanationResponseSchema.parse(await response.json());
  const predicted = PredictionResponseSchema.parse(
    await (await postJson(app, "/predict", row)).json(),
  );
  assert.equal(body.prediction, predicted.prediction);
  assert.equal(body.contributions.length, 10);
  const listed = body.contributions.reduce((s, c) => s + c.contribution, 0);
  assert.ok(Math.abs(body.baseValue + listed + body.otherContributions - body.modelOutput) < 1e-9);
  const sizes = body.contributions.map((c) => Math.abs(c.contribution));
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), "largest first");
  for (const c of body.contributions) {
    const spec = bundle.features.find((f) => f.name === c.feature)!;
    assert.equal(c.description, spec.description);
    assert.ok(c.description.length > 0);
    assert.equal(c.value, row[c.feature]);
    assert.equal(c.standardError, undefined, "a linear model's contributions are exact");
  }
  assert.equal(response.headers.get("x-model-version"), body.modelVersion);
  assert.equal(predictions.length, 1, "explanations do not go to the prediction log");
});

Deno.test("?top=k lists k contributions; all of them sum to the output without a remainder", async () => {
  const { app } = await harness(bundle);
  const three = ExplanationResponseSchema.parse(
    await (await postJson(app, "/explain?top=3", row)).json(),
  );
  assert.equal(three.contributions.length, 3);
  const all = ExplanationResponseSchema.parse(
    await (await postJson(app, `/explain?top=${bundle.features.length}`, row)).json(),
  );
  assert.equal(all.contributions.length, bundle.features.length);
  assert.equal(all.otherContributions, 0);
  assert.deepEqual(all.contributions.slice(0, 3), three.contributions);
  // The features the model does not use contribute nothing.
  const unused = all.contributions.filter((c) =>
    !bundle.preprocessor.inputFeatures.includes(c.feature)
  );
  assert.ok(unused.length > 0 && unused.every((c) => c.contribution === 0));
});

Deno.test("a missing value is explained at its imputed value and reported as null", async () => {
  const { app } = await harness(bundle);
  const gappy = bundle.features.slice(0, TEST_GAPPY).find((f) => f.nullable)!.name;
  const response = await postJson(app, `/explain?top=${bundle.features.length}`, {
    ...row,
    [gappy]: null,
  });
  assert.equal(response.status, 200);
  const body = ExplanationResponseSchema.parse(await response.json());
  const entry = body.contributions.find((c) => c.feature === gappy)!;
  assert.equal(entry.value, null);
  assert.ok(entry.contribution !== 0);
});

Deno.test("a bad top is answered 422 naming it", async () => {
  const { app } = await harness(bundle);
  for (
    const [top, rule] of [["0", "minimum"], ["x", "type"], ["2.5", "type"], ["999", "maximum"]]
  ) {
    const response = await postJson(app, `/explain?top=${top}`, row);
    assert.equal(response.status, 422, top);
    const error = ErrorResponseSchema.parse(await response.json());
    assert.equal(error.error, "invalid_input");
    assert.deepEqual(error.issues?.map((i) => [i.path, i.rule]), [["$query.top", rule]]);
    assert.match(error.message, /top must be an integer from 1 to 122/);
  }
});

Deno.test("a row that breaks the contract is answered 422 naming the feature, bad JSON 400", async () => {
  const { app } = await harness(bundle);
  const [first, second] = bundle.features.map((f) => f.name);
  const { [second]: _, ...short } = row;
  const response = await postJson(app, "/explain", { ...short, [first]: 1.5 });
  assert.equal(response.status, 422);
  const error = ErrorResponseSchema.parse(await response.json());
  const found = error.issues!.map((i) => [i.path, i.rule]);
  assert.deepEqual(found.sort(), [[`$.${first}`, "maximum"], [`$.${second}`, "required"]].sort());
  assert.equal((await postJson(app, "/explain", "{")).status, 400);
});

Deno.test("a bundle written before explanations is answered 409 saying it needs retraining", async () => {
  const { checksum: _, explanation: __, ...old } = bundle;
  const { app } = await harness(await sealBundle(old));
  const response = await postJson(app, "/explain", row);
  assert.equal(response.status, 409);
  const error = ErrorResponseSchema.parse(await response.json());
  assert.equal(error.error, "explanation_unavailable");
  assert.match(error.message, /retrained/);
  assert.equal((await postJson(app, "/predict", row)).status, 200, "it still predicts");
});

Deno.test("without a model, POST /explain is 503", async () => {
  const { app } = await harness();
  assert.equal((await postJson(app, "/explain", row)).status, 503);
});

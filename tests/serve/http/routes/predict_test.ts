/**
 * `POST /predict` and `POST /predict/batch`, in-process: predictions in order with the model
 * version, what goes to the prediction log, and every way a body breaks the contract or the
 * limits, each with its own 4xx and never a 5xx.
 */
import assert from "node:assert/strict";
import {
  BatchPredictionResponseSchema,
  ErrorResponseSchema,
  PredictionResponseSchema,
} from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, TEST_GAPPY, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();
const row = randomRow(bundle, 7);
const features = bundle.features.map((f) => f.name);
const nullableUsed = bundle.features.find((f, j) => j < TEST_GAPPY && f.nullable)!.name;
const notNullable = bundle.features.find((f) => !f.nullable)!.name;

async function errorOf(response: Response) {
  return ErrorResponseSchema.parse(await response.json());
}

Deno.test("POST /predict predicts one row with the model version and request id", async () => {
  const { app, predictions, metrics } = await harness(bundle);
  const response = await postJson(app, "/predict", row);
  assert.equal(response.status, 200);
  const body = PredictionResponseSchema.parse(await response.json());
  const version = bundle.checksum.slice(0, 12);
  assert.equal(body.modelVersion, version);
  assert.equal(response.headers.get("x-model-version"), version);
  assert.equal(response.headers.get("x-request-id"), body.requestId);
  assert.ok(body.prediction >= 0 && body.prediction <= 1);
  assert.equal(predictions.length, 1);
  assert.deepEqual(predictions[0].inputs, [row]);
  assert.equal(new TextDecoder().decode(predictions[0].inputJson), JSON.stringify(row));
  assert.equal(predictions[0].predictions[0], body.prediction);
  assert.equal(predictions[0].requestId, body.requestId);
  assert.equal(metrics.predictions.get([version]), 1);
});

Deno.test("a single row's body goes to the log as sent, less a byte-order mark", async () => {
  const { app, predictions } = await harness(bundle);
  const pretty = JSON.stringify(row, null, 2).replaceAll("\n", "\r\n");
  const response = await postJson(app, "/predict", `\uFEFF${pretty}`);
  assert.equal(response.status, 200);
  assert.equal(new TextDecoder().decode(predictions[0].inputJson), pretty);
  assert.deepEqual(predictions[0].inputs, [row]);
});

Deno.test("a nullable feature accepts null and is imputed", async () => {
  const { app } = await harness(bundle);
  const response = await postJson(app, "/predict", { ...row, [nullableUsed]: null });
  assert.equal(response.status, 200);
  assert.ok(Number.isFinite((await response.json()).prediction));
});

Deno.test("POST /predict/batch predicts every row in order, like single predictions", async () => {
  const { app } = await harness(bundle);
  const rows = Array.from({ length: 25 }, (_, i) => randomRow(bundle, 100 + i, i % 3));
  const response = await postJson(app, "/predict/batch", { rows });
  assert.equal(response.status, 200);
  const body = BatchPredictionResponseSchema.parse(await response.json());
  assert.equal(body.count, 25);
  for (let i = 0; i < rows.length; i += 6) {
    const single = await (await postJson(app, "/predict", rows[i])).json();
    assert.equal(body.predictions[i], single.prediction);
  }
});

Deno.test("a batch is logged with each row's place in the request bytes", async () => {
  const { app, predictions } = await harness(bundle);
  const rows = Array.from({ length: 5 }, (_, i) => randomRow(bundle, 200 + i, i % 2));
  const response = await postJson(app, "/predict/batch", JSON.stringify({ rows }, null, 1));
  assert.equal(response.status, 200);
  const { inputJson, inputSpans } = predictions[0];
  assert.ok(inputJson && inputSpans);
  const logged = rows.map((_, i) =>
    JSON.parse(
      new TextDecoder().decode(inputJson.subarray(inputSpans[2 * i], inputSpans[2 * i + 1])),
    )
  );
  assert.deepEqual(logged, rows);
});

Deno.test("a plain batch is read from its bytes, and predicts as the general path does", async () => {
  const { app, predictions } = await harness(bundle);
  const rows = Array.from({ length: 8 }, (_, i) => randomRow(bundle, 300 + i, i % 3));
  const plain = JSON.stringify({ rows });
  // A key with a string escape is valid JSON the byte reader leaves to the general path.
  const first = features[0];
  const escaped = plain.replace(
    `"${first}"`,
    `"\\u${first.charCodeAt(0).toString(16).padStart(4, "0")}${first.slice(1)}"`,
  );
  const fast = await postJson(app, "/predict/batch", plain);
  const general = await postJson(app, "/predict/batch", escaped);
  assert.equal(fast.status, 200);
  assert.equal(general.status, 200);
  assert.deepEqual((await fast.json()).predictions, (await general.json()).predictions);
  assert.equal(predictions[0].inputs, undefined, "no parsed rows on the byte path");
  assert.equal(predictions[0].inputLineBreaks, false);
  assert.deepEqual(predictions[1].inputs, JSON.parse(escaped).rows);
});

Deno.test("predictions are clipped to [0, 1]", async () => {
  // Shifted training targets push predictions above 1 for high feature values.
  const high = await testBundle({ seed: 3, shift: 2 });
  const { app } = await harness(high);
  const body = await (await postJson(app, "/predict", randomRow(high, 1))).json();
  assert.equal(body.prediction, 1);
});

/** Posts `body` to /predict and returns the 422 issues. */
async function issuesFor(body: unknown, path = "/predict") {
  const { app } = await harness(bundle);
  const response = await postJson(app, path, body);
  assert.equal(response.status, 422, JSON.stringify(body).slice(0, 80));
  const error = await errorOf(response);
  assert.equal(error.error, "invalid_input");
  return error.issues!.map(({ path, rule }) => `${path} ${rule}`);
}

Deno.test("each kind of bad input is a 422 naming the field and the rule", async (t) => {
  const first = features[0];
  const cases: [string, unknown, string[]][] = [
    ["an unknown field", { ...row, bogus: 1 }, ["$.bogus unknown_field"]],
    ["a string", { ...row, [first]: "0.5" }, [`$.${first} type`]],
    ["a boolean", { ...row, [first]: true }, [`$.${first} type`]],
    ["an object", { ...row, [first]: { value: 1 } }, [`$.${first} type`]],
    ["null where not nullable", { ...row, [notNullable]: null }, [`$.${notNullable} not_nullable`]],
    ["a value above the range", { ...row, [first]: 1.01 }, [`$.${first} maximum`]],
    ["a value below the range", { ...row, [first]: -0.2 }, [`$.${first} minimum`]],
    ["a missing field", Object.fromEntries(Object.entries(row).slice(1)), [`$.${first} required`]],
    ["an array body", [row], ["$ type"]],
    ["a number body", 3, ["$ type"]],
    ["an empty object", {}, features.map((f) => `$.${f} required`).slice(0, 100)],
  ];
  for (const [name, body, expected] of cases) {
    await t.step(name, async () => assert.deepEqual(await issuesFor(body), expected));
  }
});

Deno.test("NaN and Infinity, in bare literals or from overflow, are 422 finite", async () => {
  const [a, b, c] = features;
  const text = JSON.stringify(row)
    .replace(`"${a}":${row[a]}`, `"${a}":NaN`)
    .replace(`"${b}":${row[b]}`, `"${b}":-Infinity`)
    .replace(`"${c}":${row[c]}`, `"${c}":1e999`);
  assert.deepEqual(await issuesFor(text), [`$.${a} finite`, `$.${b} finite`, `$.${c} finite`]);
});

Deno.test("a bad row in a batch is reported with its index", async () => {
  const rows = [row, { ...row, [features[4]]: 7 }, row];
  assert.deepEqual(await issuesFor({ rows }, "/predict/batch"), [
    `$.rows[1].${features[4]} maximum`,
  ]);
  assert.deepEqual(await issuesFor({ rows: [] }, "/predict/batch"), ["$.rows min_items"]);
  assert.deepEqual(await issuesFor({ rows: "all" }, "/predict/batch"), ["$.rows type"]);
  assert.deepEqual(await issuesFor({ rows: [row], extra: 1 }, "/predict/batch"), [
    "$.extra unknown_field",
  ]);
  assert.deepEqual(await issuesFor(row, "/predict/batch"), [
    "$.rows required",
    ...features.map((f) => `$.${f} unknown_field`).slice(0, 99),
  ]);
});

Deno.test("at most 100 issues are listed, with the total count", async () => {
  const { app } = await harness(bundle);
  const rows = Array.from({ length: 3 }, () => ({}));
  const error = await errorOf(await postJson(app, "/predict/batch", { rows }));
  assert.equal(error.issues!.length, 100);
  assert.equal(error.issueCount, 3 * features.length);
});

Deno.test("up to 100 unknown fields are listed one by one; more make one issue at the object", async () => {
  const { app } = await harness(bundle);
  const extra = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, 1]));
  const listed = await errorOf(await postJson(app, "/predict", { ...row, ...extra(100) }));
  assert.equal(listed.issueCount, 100);
  assert.deepEqual(listed.issues![99], {
    path: "$.x99",
    rule: "unknown_field",
    message: "unknown field: not an input of this model",
  });
  const tooMany = await postJson(app, "/predict", { ...row, ...extra(101) });
  assert.equal(tooMany.status, 422);
  const error = await errorOf(tooMany);
  assert.equal(error.issueCount, 1);
  assert.deepEqual(error.issues!.map((i) => `${i.path} ${i.rule}`), ["$ invalid"]);
  assert.match(error.issues![0].message, /more than 222 fields, where a row has 122 features/);
  const batch = await errorOf(
    await postJson(app, "/predict/batch", { rows: [row, { ...row, ...extra(101) }] }),
  );
  assert.deepEqual(batch.issues!.map((i) => `${i.path} ${i.rule}`), ["$.rows[1] invalid"]);
});

Deno.test("a body that is not UTF-8 is 400", async () => {
  const { app } = await harness(bundle);
  const bytes = new TextEncoder().encode(JSON.stringify(row));
  bytes[2] = 0xff; // inside the first key
  const response = await app.request("/predict", { method: "POST", body: bytes });
  assert.equal(response.status, 400);
  const error = await errorOf(response);
  assert.equal(error.error, "malformed_json");
  assert.match(error.message, /not valid UTF-8/);
});

Deno.test("malformed JSON and empty bodies are 400", async () => {
  const { app } = await harness(bundle);
  for (const body of ["{", "", "   ", '{"a": 1,}', "nul", "\u0000"]) {
    const response = await postJson(app, "/predict", body);
    assert.equal(response.status, 400, JSON.stringify(body));
    const error = await errorOf(response);
    assert.equal(error.error, "malformed_json");
    assert.match(error.message, /empty|not valid JSON/);
  }
});

Deno.test("bodies over the size limit are 413 naming the limit", async () => {
  const { app } = await harness(bundle, { limits: { maxBodyBytes: 4096 } });
  const big = JSON.stringify({ rows: [row, row] });
  assert.ok(big.length > 4096);
  const response = await postJson(app, "/predict/batch", big);
  assert.equal(response.status, 413);
  const error = await errorOf(response);
  assert.equal(error.error, "payload_too_large");
  assert.equal(error.limit, 4096);
  assert.match(error.message, /4096 bytes/);
});

Deno.test("a streamed body without content-length is limited too", async () => {
  const { app } = await harness(bundle, { limits: { maxBodyBytes: 4096 } });
  const chunk = new TextEncoder().encode(" ".repeat(3000));
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(chunk);
      controller.enqueue(chunk);
      controller.close();
    },
  });
  const response = await app.request("/predict", { method: "POST", body });
  assert.equal(response.status, 413);
});

Deno.test("batches over the row limit are 413 naming the limit", async () => {
  const { app } = await harness(bundle, { limits: { maxBatchRows: 3 } });
  const response = await postJson(app, "/predict/batch", { rows: [row, row, row, row] });
  assert.equal(response.status, 413);
  const error = await errorOf(response);
  assert.equal(error.error, "batch_too_large");
  assert.equal(error.limit, 3);
  assert.match(error.message, /4 rows.*limit is 3 rows/);
  assert.equal((await postJson(app, "/predict/batch", { rows: [row, row, row] })).status, 200);
});

Deno.test("no body, however odd, gets a 5xx", async () => {
  const { app } = await harness(bundle);
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const bodies = [
    deep,
    `{"rows": ${deep}}`,
    `{"rows": [${deep}]}`,
    `{"${features[0]}": ${deep}}`,
    '{"__proto__": {"polluted": 1}}',
    JSON.stringify({ ...row, constructor: 1, toString: 2 }),
    `\uFEFF${JSON.stringify(row)}`,
    JSON.stringify({ ...row, [features[0]]: "x".repeat(100_000) }),
    JSON.stringify({ rows: Array.from({ length: 50 }, () => ({ bogus: [1, { a: null }] })) }),
    "1e999999",
    '"just a string"',
    "null",
    "-0",
    "\u0000",
    "{".repeat(10),
  ];
  for (const path of ["/predict", "/predict/batch"]) {
    for (const body of bodies) {
      const response = await postJson(app, path, body);
      assert.ok(response.status < 500, `${path} ${body.slice(0, 40)}: ${response.status}`);
      await response.body?.cancel();
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

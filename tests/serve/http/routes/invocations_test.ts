/**
 * `POST /invocations` takes every request format of MLflow's scoring server and answers
 * as it does; checked in-process for each format and its refusals, and with MLflow's own
 * Python client (`ScoringServerClient`, from the project's MLflow) against a real server.
 */
import assert from "node:assert/strict";
import { ErrorResponseSchema } from "../../../../serve/contract/api_schemas.ts";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../../support/test_bundle.ts";
import { runCommand } from "../../../../tools/run_command.ts";

const bundle = await testBundle();
const features = bundle.features.map((f) => f.name);
const rows = [randomRow(bundle, 1), randomRow(bundle, 2), randomRow(bundle, 3)];
const { app, predictions, slot } = await harness(bundle);

/** What /predict/batch answers for the same rows: the reference. */
const expected = (await (await postJson(app, "/predict/batch", { rows })).json()).predictions;

const values = (row: Record<string, unknown>) => features.map((name) => row[name]);

Deno.test("every MLflow JSON format is answered {predictions} like /predict/batch", async () => {
  const reversed = [...features].reverse();
  const formats: Record<string, unknown> = {
    dataframe_split: {
      dataframe_split: { columns: reversed, data: rows.map((r) => reversed.map((n) => r[n])) },
    },
    dataframe_split_with_index: {
      dataframe_split: { index: [0, 1, 2], columns: features, data: rows.map(values) },
    },
    dataframe_records: { dataframe_records: rows },
    instances_objects: { instances: rows },
    instances_arrays: { instances: rows.map(values) },
    inputs_columns: {
      inputs: Object.fromEntries(features.map((n) => [n, rows.map((r) => r[n])])),
    },
    inputs_records: { inputs: rows, params: {} },
  };
  for (const [name, body] of Object.entries(formats)) {
    const response = await postJson(app, "/invocations", body);
    assert.equal(response.status, 200, `${name}: ${await response.clone().text()}`);
    assert.deepEqual(await response.json(), { predictions: expected }, name);
    assert.equal(response.headers.get("x-model-version"), bundle.checksum.slice(0, 12));
  }
});

Deno.test("a text/csv body with a header line is scored; its empty cells are null", async () => {
  const csv = [features.join(","), ...rows.map((r) => values(r).join(","))].join("\n");
  const response = await postJson(app, "/invocations", csv, { "content-type": "text/csv" });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { predictions: expected });
  const nullable = bundle.features.findIndex((f) => f.nullable);
  const cells = values(rows[0]).map((v, j) => (j === nullable ? "" : String(v)));
  const withGap = await postJson(
    app,
    "/invocations",
    `${features.join(",")}\r\n${cells.join(",")}\r\n`,
    {
      "content-type": "text/csv; charset=utf-8",
    },
  );
  assert.equal(withGap.status, 200, await withGap.clone().text());
});

Deno.test("predictions through /invocations are logged like any other", async () => {
  const before = predictions.length;
  const response = await postJson(app, "/invocations", { dataframe_records: rows });
  assert.equal(response.status, 200);
  assert.equal(predictions.length, before + 1);
  assert.deepEqual(predictions.at(-1)!.inputs, rows);
  assert.deepEqual(Array.from(predictions.at(-1)!.predictions), expected);
});

Deno.test("shapes MLflow would not take are 400 with the reason; bad values 422 as /predict/batch", async () => {
  const cases: [unknown, string, RegExp][] = [
    [{ rows }, "application/json", /exactly one of dataframe_split, dataframe_records/],
    [{ instances: rows, inputs: rows }, "application/json", /exactly one of/],
    [
      { instances: rows, params: { temperature: 1 } },
      "application/json",
      /no inference parameters/,
    ],
    [
      { dataframe_split: { columns: features, data: [[0.1]] } },
      "application/json",
      /data\[0\] must be an array of 122 values/,
    ],
    [{ instances: [[0.1, 0.2]] }, "application/json", /instances\[0\] has 2 values/],
    [
      { inputs: { population: [0.1], medIncome: [0.1, 0.2] } },
      "application/json",
      /as many values/,
    ],
    ["{", "application/json", /not valid JSON/],
    ["0.1,0.2\n", "text/csv", /no column names/],
    [`${features.join(",")}\n"x\n`, "text/csv", /CSV line 2/],
  ];
  for (const [body, type, message] of cases) {
    const response = await postJson(app, "/invocations", body, { "content-type": type });
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
    assert.match(ErrorResponseSchema.parse(await response.json()).message, message);
  }
  const bad = await postJson(app, "/invocations", {
    dataframe_records: [rows[0], { ...rows[1], [features[0]]: 7 }],
  });
  assert.equal(bad.status, 422);
  const error = ErrorResponseSchema.parse(await bad.json());
  assert.equal(error.issues![0].path, `$.rows[1].${features[0]}`);
  assert.equal(error.issues![0].rule, "maximum");
  const empty = await postJson(app, "/invocations", { instances: [] });
  assert.equal(empty.status, 422);
  // Python's json.dumps writes a float('nan') as a bare NaN: read, then refused by field.
  const nan = JSON.stringify({ dataframe_records: [{ ...rows[0], [features[0]]: "NAN_HERE" }] })
    .replace('"NAN_HERE"', "NaN");
  const withNan = await postJson(app, "/invocations", nan);
  assert.equal(withNan.status, 422);
  assert.equal(ErrorResponseSchema.parse(await withNan.json()).issues![0].rule, "finite");
});

Deno.test("the OpenAPI document's /invocations examples are all answered 200", async () => {
  const spec = await (await app.request("/openapi.json")).json();
  const body = spec.paths["/invocations"].post.requestBody.content;
  const reference = (await (await postJson(app, "/predict", slot.model!.referenceRow)).json())
    .prediction;
  const examples = Object.entries(
    body["application/json"].examples as Record<string, { value: unknown }>,
  );
  assert.deepEqual(examples.map(([name]) => name).sort(), [
    "dataframe_records",
    "dataframe_split",
    "inputs",
    "instances",
  ]);
  for (const [name, { value }] of examples) {
    const response = await postJson(app, "/invocations", value);
    assert.equal(response.status, 200, name);
    assert.deepEqual(await response.json(), { predictions: [reference] }, name);
  }
  const csv = await postJson(app, "/invocations", body["text/csv"].example, {
    "content-type": "text/csv",
  });
  assert.deepEqual(await csv.json(), { predictions: [reference] });
  assert.ok(spec.components.schemas.InvocationsRequest.anyOf.length === 4);
  assert.deepEqual(
    spec.paths["/invocations"].post.responses["200"].content["application/json"].schema,
    { $ref: "#/components/schemas/InvocationsResponse" },
  );
});

Deno.test("other media types are 415; over the batch limit is 413; /ping is 200 once loaded", async () => {
  const xml = await postJson(app, "/invocations", "<rows/>", { "content-type": "application/xml" });
  assert.equal(xml.status, 415);
  const latin1 = await postJson(app, "/invocations", { instances: rows }, {
    "content-type": "application/json; charset=latin-1",
  });
  assert.equal(latin1.status, 415);
  const small = await harness(bundle, { limits: { maxBatchRows: 2 } });
  const tooMany = await postJson(small.app, "/invocations", { instances: rows });
  assert.equal(tooMany.status, 413);
  assert.equal((await app.request("/ping")).status, 200);
  const empty = await harness(undefined, { load: false });
  assert.equal((await empty.app.request("/ping")).status, 503);
});

const hasMlflow = await Deno.stat(new URL("../../../../.venv/bin/python", import.meta.url))
  .then(() => true, () => false);

Deno.test({
  name: `MLflow's own ScoringServerClient gets the predictions from a real server${
    hasMlflow ? "" : " (skipped: no .venv with MLflow)"
  }`,
  ignore: !hasMlflow,
  async fn() {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    try {
      const script = `
import json, sys
import pandas as pd
from mlflow.pyfunc.scoring_server.client import ScoringServerClient
client = ScoringServerClient("127.0.0.1", int(sys.argv[1]))
client.wait_server_ready(timeout=10)
frame = pd.DataFrame(json.loads(sys.argv[2]))
print(json.dumps(list(client.invoke(frame).get_predictions(predictions_format="ndarray"))))
`;
      const { code, stdout, stderr } = await runCommand(
        new URL("../../../../.venv/bin/python", import.meta.url).pathname,
        ["-c", script, String(server.addr.port), JSON.stringify(rows)],
      );
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout.trim().split("\n").at(-1)!), expected);
    } finally {
      await server.shutdown();
    }
  },
});

/** `GET /metrics`, in-process: request counts and latencies by route, predictions, the model. */
import assert from "node:assert/strict";
import { harness, postJson } from "../../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../../support/test_bundle.ts";

const bundle = await testBundle();
const row = randomRow(bundle, 7);

Deno.test("GET /metrics exposes request counts, latencies, predictions and the model", async () => {
  const { app } = await harness(bundle);
  await postJson(app, "/predict", row);
  await postJson(app, "/predict", { bogus: 1 });
  await app.request("/nowhere");
  const response = await app.request("/metrics");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const version = bundle.checksum.slice(0, 12);
  assert.match(text, /^http_requests_total\{route="\/predict",method="POST",status="200"\} 1$/m);
  assert.match(text, /^http_requests_total\{route="\/predict",method="POST",status="422"\} 1$/m);
  assert.match(text, /^http_requests_total\{route="unmatched",method="GET",status="404"\} 1$/m);
  assert.match(
    text,
    /^http_request_duration_seconds_count\{route="\/predict",method="POST",status="200"\} 1$/m,
  );
  assert.match(text, new RegExp(`^predictions_total\\{model_version="${version}"\\} 1$`, "m"));
  assert.match(
    text,
    new RegExp(
      `^model_info\\{name="communities-crime",version="${version}",alias="",family="ridge",origin="file"\\} 1$`,
      "m",
    ),
  );
  assert.match(text, /^model_reloads_total\{result="reloaded"\} 1$/m);
  assert.match(text, /^process_resident_memory_bytes \d+$/m);
});

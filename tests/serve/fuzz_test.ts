/**
 * The API fuzzing suite (tools/serve/fuzz_api.ts) as a test: at least 5,000 requests that
 * schemathesis generates from the server's own OpenAPI document, every check passing, no
 * 5xx, the server alive at the end. The seed is fixed so that a CI run can be replayed;
 * `deno task fuzz` explores with a new seed each time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fuzzApi, SCHEMATHESIS } from "../../tools/serve/fuzz_api.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const MIN_REQUESTS = 5000;
const skip = await Deno.stat(SCHEMATHESIS).then(
  () => undefined,
  () => "schemathesis is not in .venv (make setup installs it from requirements.txt)",
);
if (skip) console.error(`API fuzzing skipped: ${skip}`);

Deno.test({
  name: `schemathesis finds nothing wrong in ${MIN_REQUESTS}+ generated requests${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "crime-fuzz-test-" });
    try {
      const model = join(dir, "bundle.json");
      await writeBundle(model, await testBundle());
      // 400 examples per operation and phase give about 11,900 requests over the API's
      // operations in about 4.5 minutes of a CI run (700 gave 13,730 in 9 to 11 minutes,
      // its longest test); `deno task fuzz --examples N` goes further.
      const report = await fuzzApi({ model, examples: 400, seed: 20261201 });
      console.error(
        `  ${report.requests} requests, ${report.failures.length} failed checks, ` +
          `${report.serverErrors.length} 5xx`,
      );
      assert.deepEqual(report.failures, [], report.summary);
      assert.deepEqual(report.serverErrors, []);
      assert.equal(
        report.alive,
        true,
        `the server no longer answers /health; its last lines:\n${report.lastLogLines.join("\n")}`,
      );
      assert.equal(report.code, 0, report.summary);
      assert.ok(report.requests >= MIN_REQUESTS, `only ${report.requests} requests generated`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

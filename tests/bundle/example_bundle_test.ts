import assert from "node:assert/strict";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { testBundle } from "../support/test_bundle.ts";

const EXAMPLE = "examples/model_bundle.json";

Deno.test("the committed example bundle opens and is what its generator writes today", async () => {
  const text = await Deno.readTextFile(EXAMPLE);
  const bundle = await openBundle(text, EXAMPLE);
  assert.equal(bundle.features.length, 122);
  assert.equal(
    text,
    JSON.stringify(await testBundle()),
    `${EXAMPLE} is stale: regenerate it with deno run -A tests/support/test_bundle.ts ${EXAMPLE}`,
  );
});

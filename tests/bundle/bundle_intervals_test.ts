/**
 * The bundle's `intervals` section: it survives sealing and opening unchanged, its edits
 * break the checksum, a bundle without it still opens, and a broken section is refused
 * naming the problem.
 */
import assert from "node:assert/strict";
import { openBundle, sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import { predictionBounds } from "../../pipeline/bundle/prediction_intervals.ts";
import { TEST_INTERVAL_LEVEL, testBundle } from "../support/test_bundle.ts";

Deno.test("intervals survive a round trip and predict the same bounds", async () => {
  const bundle = await testBundle();
  assert.equal(bundle.intervals?.level, TEST_INTERVAL_LEVEL);
  const opened = await openBundle(JSON.stringify(bundle), "b.json");
  assert.deepEqual(opened.intervals, bundle.intervals);
  const y = [0.1, 0.5, 0.9], g = [0.1, 0.4, 0.9];
  assert.deepEqual(
    predictionBounds(opened.intervals!, y, g),
    predictionBounds(bundle.intervals!, y, g),
  );
  const edited = {
    ...bundle,
    intervals: { ...bundle.intervals!, quantiles: { ...bundle.intervals!.quantiles, all: 0 } },
  };
  await assert.rejects(openBundle(JSON.stringify(edited), "b.json"), /checksum mismatch/);
});

Deno.test("a bundle without intervals (as before them) opens and has none", async () => {
  const bundle = await testBundle({ intervals: false });
  assert.equal("intervals" in bundle, false);
  const opened = await openBundle(JSON.stringify(bundle), "old.json");
  assert.equal(opened.intervals, undefined);
});

Deno.test("a normalised section without its spread model is refused, naming it", async () => {
  const { checksum: _, ...bundle } = await testBundle();
  const { spread: __, ...broken } = bundle.intervals!;
  const sealed = await sealBundle({ ...bundle, intervals: broken as typeof bundle.intervals });
  await assert.rejects(
    openBundle(JSON.stringify(sealed), "b.json"),
    /b.json.*normalised interval needs its spread model/s,
  );
});

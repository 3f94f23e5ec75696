import assert from "node:assert/strict";
import { seededFoldIds } from "../../pipeline/folds/seeded_folds.ts";

Deno.test("seededFoldIds balances fold sizes and is reproducible", () => {
  const ids = seededFoldIds(23, 5, 42);
  const counts = [1, 2, 3, 4, 5].map((k) => ids.filter((id) => id === k).length);
  assert.equal(counts.reduce((s, c) => s + c, 0), 23);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${counts}`);
  assert.deepEqual(seededFoldIds(23, 5, 42), ids);
  assert.notDeepEqual(seededFoldIds(23, 5, 43), ids);
});

Deno.test("seededFoldIds rejects impossible fold counts", () => {
  assert.throws(() => seededFoldIds(10, 1, 0));
  assert.throws(() => seededFoldIds(3, 4, 0));
});

import assert from "node:assert/strict";
import { activeLock, FREE, recordedLock } from "../../pipeline/registry/promotion_lock.ts";

Deno.test("a lock is active until it expires", () => {
  const value = JSON.stringify({ owner: "a", acquiredAt: "t", expiresAt: 1000 });
  assert.equal(activeLock(value, 999)?.owner, "a");
  assert.equal(activeLock(value, 1000), undefined);
});

Deno.test("a released, absent or unreadable lock is free", () => {
  assert.equal(activeLock(undefined, 0), undefined);
  assert.equal(activeLock(FREE, 0), undefined);
  assert.equal(activeLock("{not json", 0), undefined);
  assert.equal(activeLock(JSON.stringify({ owner: "a" }), 0), undefined);
});

Deno.test("an expired lock is still recorded, with its holder process", () => {
  const lock = {
    owner: "a",
    acquiredAt: "t",
    expiresAt: 1000,
    host: "h",
    pid: 42,
    started: "Tue Dec 1 09:00:00 2026",
  };
  const value = JSON.stringify(lock);
  assert.equal(activeLock(value, 2000), undefined);
  assert.deepEqual(recordedLock(value), lock);
  assert.equal(recordedLock(FREE), undefined);
});

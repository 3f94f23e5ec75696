/**
 * A host-wide lock for image builds: the container tests and the deploy rehearsal build
 * the same base images and server images, and two builds of one tag at once race.
 *
 * @module
 */
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `work` while holding a host-wide lock, so that processes running in parallel
 * build the shared base images one at a time instead of racing on the same tags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await withImageLock(() => Promise.resolve(42)), 42);
 * ```
 */
export async function withImageLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = await Deno.open(join(tmpdir(), "crime-container-images.lock"), {
    write: true,
    create: true,
  });
  try {
    await lock.lock(true);
    return await work();
  } finally {
    lock.close();
  }
}

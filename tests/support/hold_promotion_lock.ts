/**
 * A process that takes the promotion lock of a registered model and keeps it, as a
 * promotion in progress does, until it is killed: for tests of what a killed promotion
 * leaves. Prints `locked <owner>` once it holds the lock.
 *
 * ```sh
 * deno run -A tests/support/hold_promotion_lock.ts <tracking uri> <model> <lease ms>
 * ```
 *
 * @module
 */
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { acquirePromotionLock } from "../../pipeline/registry/promotion_lock.ts";

if (import.meta.main) {
  const [uri, name, ttl] = Deno.args;
  const lock = await acquirePromotionLock(new MlflowClient(uri, { credentials: null }), name, {
    ttlMs: Number(ttl),
    settleMs: 50,
  });
  console.log(`locked ${lock.owner}`);
  // Stands for the promotion's work: it never ends, the test kills the process.
  setInterval(() => {}, 60_000);
}

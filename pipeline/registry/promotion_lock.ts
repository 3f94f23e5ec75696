/**
 * A promotion lock on the registered model, so two promotions cannot interleave their
 * alias moves. MLflow has no compare-and-set, so the lock is a registered-model tag
 * `promotion.lock` holding `{owner, expiresAt}`: a promotion reads it, writes its own
 * value when the lock is free or expired, waits, and re-reads it. Of two promotions that
 * raced, only the last writer reads its own value back; the other gives up. The holder
 * re-checks the tag before each alias move ({@linkcode PromotionLock.confirm}), and an
 * abandoned lock expires after its time-to-live.
 *
 * @module
 */
import { z } from "zod";
import type { MlflowClient } from "../mlflow/client.ts";

/** The registered-model tag that holds the lock. */
export const LOCK_TAG = "promotion.lock";
/** The tag value of a released lock. */
export const FREE = "free";

const LockValue = z.object({ owner: z.string(), acquiredAt: z.string(), expiresAt: z.number() });
/** The content of a held lock. */
export type LockValue = z.infer<typeof LockValue>;

/** The lock in force in tag value `value` at epoch-ms `now`, or `undefined` when it is free. */
export function activeLock(value: string | undefined, now: number): LockValue | undefined {
  if (value === undefined || value === FREE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const lock = LockValue.safeParse(parsed);
  return lock.success && lock.data.expiresAt > now ? lock.data : undefined;
}

/** A held lock. */
export interface PromotionLock {
  readonly owner: string;
  /** Throws unless the tag still names this owner. */
  confirm(): Promise<void>;
  /** Frees the lock if this owner still holds it. */
  release(): Promise<void>;
}

/** Options of {@linkcode acquirePromotionLock}. */
export interface LockOptions {
  readonly ttlMs: number;
  /** How long to wait before re-reading the tag; defaults to 500 ms. */
  readonly settleMs?: number;
  /** Defaults to a random id with the process id. */
  readonly owner?: string;
}

/** Takes the promotion lock of model `name`, or throws naming the current holder. */
export async function acquirePromotionLock(
  client: MlflowClient,
  name: string,
  options: LockOptions,
): Promise<PromotionLock> {
  const owner = options.owner ?? `pid ${Deno.pid} ${crypto.randomUUID().slice(0, 8)}`;
  const read = async () => (await client.registry.getRegisteredModel(name))?.tags[LOCK_TAG];
  const holder = activeLock(await read(), Date.now());
  if (holder) {
    throw new Error(
      `another promotion of "${name}" holds the lock (${holder.owner}, since ${holder.acquiredAt}, ` +
        `expires ${new Date(holder.expiresAt).toISOString()}); retry later`,
    );
  }
  const value: LockValue = {
    owner,
    acquiredAt: new Date().toISOString(),
    expiresAt: Date.now() + options.ttlMs,
  };
  await client.registry.setRegisteredModelTag(name, LOCK_TAG, JSON.stringify(value));
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 500));
  const confirm = async () => {
    const current = activeLock(await read(), Date.now());
    if (current?.owner !== owner) {
      throw new Error(
        `lost the promotion lock of "${name}" to ${current?.owner ?? "nobody (expired)"}; ` +
          "nothing more was changed, retry later",
      );
    }
  };
  await confirm();
  return {
    owner,
    confirm,
    async release() {
      if (activeLock(await read(), Date.now())?.owner === owner) {
        await client.registry.setRegisteredModelTag(name, LOCK_TAG, FREE);
      }
    },
  };
}

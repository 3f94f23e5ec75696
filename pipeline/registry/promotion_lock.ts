/**
 * A promotion lock on the registered model, so two promotions cannot interleave their
 * alias moves. MLflow has no compare-and-set, so the lock is a registered-model tag
 * `promotion.lock` holding `{owner, expiresAt, host, pid, started}`: a promotion reads
 * it, writes its own value when the lock is free or expired, waits, and re-reads it. Of
 * two promotions that raced, only the last writer reads its own value back; the other
 * gives up. The holder re-checks the tag before each alias move
 * ({@linkcode PromotionLock.confirm}).
 *
 * The lock is a lease: it expires `ttlMs` after it was last renewed, and the holder
 * renews it every third of that while it runs. So a live promotion keeps its lock as
 * long as it needs, and a killed one's lapses within one lease (30 s by default,
 * `register.lock_ttl_s`). A holder that could not renew in time has lost the lock: it
 * renews no more, and its next `confirm` throws. {@linkcode unlockPromotion}
 * (`promote-model --unlock`) removes a lock at once, but only when the process that
 * holds it, recorded by host, pid and start time, is gone.
 *
 * @module
 */
import { z } from "zod";
import type { MlflowClient } from "../mlflow/client.ts";
import {
  currentProcess,
  describeProcess,
  hostName,
  processLiveness,
} from "../stage_support/process_identity.ts";
import { RegistryError } from "./registry_error.ts";

/** The registered-model tag that holds the lock. */
export const LOCK_TAG = "promotion.lock";
/** The tag value of a released lock. */
export const FREE = "free";

const LockValue = z.object({
  owner: z.string(),
  acquiredAt: z.string(),
  expiresAt: z.number(),
  /** The holder process; absent in locks written before leases. */
  host: z.string().optional(),
  pid: z.number().int().optional(),
  started: z.string().optional(),
});
/** The content of a lock, held or expired. */
export type LockValue = z.infer<typeof LockValue>;

/** The lock recorded in tag value `value`, expired or not; `undefined` when free or unreadable. */
export function recordedLock(value: string | undefined): LockValue | undefined {
  if (value === undefined || value === FREE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const lock = LockValue.safeParse(parsed);
  return lock.success ? lock.data : undefined;
}

/** The lock in force in tag value `value` at epoch-ms `now`, or `undefined` when it is free. */
export function activeLock(value: string | undefined, now: number): LockValue | undefined {
  const lock = recordedLock(value);
  return lock && lock.expiresAt > now ? lock : undefined;
}

/** A held lock. */
export interface PromotionLock {
  readonly owner: string;
  /** Throws unless the tag still names this owner and the lease has not run out. */
  confirm(): Promise<void>;
  /** Stops renewing and frees the lock if this owner still holds it. */
  release(): Promise<void>;
}

/** Options of {@linkcode acquirePromotionLock}. */
export interface LockOptions {
  /** The lease: how long the lock lasts unless renewed. */
  readonly ttlMs: number;
  /** How long to wait before re-reading the tag; defaults to 500 ms. */
  readonly settleMs?: number;
  /** How often the holder renews the lease; defaults to a third of `ttlMs`. */
  readonly renewEveryMs?: number;
  /** Defaults to the process (pid and host) and a random id. */
  readonly owner?: string;
}

/** Takes the promotion lock of model `name`, or throws naming the current holder. */
export async function acquirePromotionLock(
  client: MlflowClient,
  name: string,
  options: LockOptions,
): Promise<PromotionLock> {
  const self = currentProcess();
  const owner = options.owner ??
    `${describeProcess(self)} (${crypto.randomUUID().slice(0, 8)})`;
  const read = async () => (await client.registry.getRegisteredModel(name))?.tags[LOCK_TAG];
  const holder = activeLock(await read(), Date.now());
  if (holder) {
    throw new RegistryError(
      `another promotion of "${name}" holds the lock (${holder.owner}, since ${holder.acquiredAt}, ` +
        `expires ${new Date(holder.expiresAt).toISOString()} unless renewed); retry later, ` +
        "or if that promotion was killed, free the lock with promote-model --unlock",
    );
  }
  const acquiredAt = new Date().toISOString();
  const value = (): LockValue => ({
    owner,
    acquiredAt,
    expiresAt: Date.now() + options.ttlMs,
    host: self.host,
    pid: self.pid,
    ...(self.started === undefined ? {} : { started: self.started }),
  });
  await client.registry.setRegisteredModelTag(name, LOCK_TAG, JSON.stringify(value()));
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 500));

  /** Why the lease was lost, once it was. */
  let lost: string | undefined;
  const confirm = async () => {
    const current = activeLock(await read(), Date.now());
    if (lost !== undefined || current?.owner !== owner) {
      throw new RegistryError(
        `lost the promotion lock of "${name}" to ${current?.owner ?? "nobody (expired)"}` +
          `${lost ? ` (${lost})` : ""}; nothing more was changed, retry later`,
      );
    }
  };
  await confirm();

  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      const current = recordedLock(await read());
      if (current?.owner !== owner) {
        lost = `taken over by ${current?.owner ?? "nobody"}`;
      } else if (current.expiresAt <= Date.now()) {
        // Not renewed in time: another promotion may have taken it since, so never write.
        lost = "the lease ran out before it could be renewed";
      } else {
        await client.registry.setRegisteredModelTag(name, LOCK_TAG, JSON.stringify(value()));
      }
    } catch {
      // The registry did not answer: try again at the next tick, while the lease lasts.
    }
    if (lost !== undefined) clearInterval(timer);
  };
  const timer = setInterval(() => {
    renewing ??= renew().finally(() => renewing = undefined);
  }, options.renewEveryMs ?? options.ttlMs / 3);
  // The lease must not keep a process alive that has nothing else left to do.
  Deno.unrefTimer(timer);

  return {
    owner,
    confirm,
    async release() {
      clearInterval(timer);
      await renewing;
      if (activeLock(await read(), Date.now())?.owner === owner) {
        await client.registry.setRegisteredModelTag(name, LOCK_TAG, FREE);
      }
    },
  };
}

/** What {@linkcode unlockPromotion} did. */
export interface UnlockOutcome {
  /** `removed`; `free`: there was no lock; `kept`: the lock stays, `message` says why. */
  readonly result: "removed" | "free" | "kept";
  /** One line for the user. */
  readonly message: string;
}

/**
 * Removes the promotion lock of model `name`, but only when its holder is known to be
 * gone: a process of this host that no longer runs. An expired lock is cleared too. A
 * lock whose holder is alive, on another host or unrecorded (a lock from before leases)
 * is left alone, and the outcome says why; it lapses by itself when its lease runs out.
 */
export async function unlockPromotion(client: MlflowClient, name: string): Promise<UnlockOutcome> {
  const model = await client.registry.getRegisteredModel(name);
  if (!model) return { result: "kept", message: `there is no registered model "${name}"` };
  const value = model.tags[LOCK_TAG];
  const lock = recordedLock(value);
  if (lock === undefined) {
    return { result: "free", message: `the promotion lock of "${name}" is free: nothing to do` };
  }
  const expires = new Date(lock.expiresAt).toISOString();
  let why: string;
  if (lock.expiresAt <= Date.now()) {
    why = `it had expired at ${expires}`;
  } else if (lock.host === undefined || lock.pid === undefined) {
    return {
      result: "kept",
      message: `the promotion lock of "${name}" (${lock.owner}) does not record its process; ` +
        `not removed: it expires at ${expires}`,
    };
  } else {
    const holder = { host: lock.host, pid: lock.pid, started: lock.started };
    const liveness = processLiveness(holder);
    if (liveness === "alive") {
      return {
        result: "kept",
        message: `the promotion lock of "${name}" is held by ${
          describeProcess(holder)
        }, which is running: not removed (wait for it, or stop that process first)`,
      };
    }
    if (liveness === "unknown") {
      return {
        result: "kept",
        message: `the promotion lock of "${name}" is held by ${describeProcess(holder)}, ` +
          `which cannot be checked from host ${hostName()}: not removed; run --unlock there, ` +
          `or wait until it expires at ${expires}`,
      };
    }
    why = `its holder, ${describeProcess(holder)}, is gone`;
  }
  // Only the value just judged is removed, not one another promotion wrote since.
  if ((await client.registry.getRegisteredModel(name))?.tags[LOCK_TAG] !== value) {
    return { result: "kept", message: `the promotion lock of "${name}" changed meanwhile: retry` };
  }
  await client.registry.setRegisteredModelTag(name, LOCK_TAG, FREE);
  return { result: "removed", message: `removed the promotion lock of "${name}": ${why}` };
}

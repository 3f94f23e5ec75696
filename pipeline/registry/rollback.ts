/**
 * Rollback: points `champion` back at the version `previous-champion` names, under the
 * promotion lock, and removes `previous-champion` so that a second rollback cannot
 * silently flip back again.
 *
 * @module
 */
import type { MlflowClient } from "../mlflow/client.ts";
import { acquirePromotionLock } from "./promotion_lock.ts";
import { ALIAS } from "./registration.ts";
import { RegistryError } from "./registry_error.ts";

/** Which versions a rollback moved between. */
export interface RollbackOutcome {
  /** The champion before the rollback. */
  readonly from: string;
  /** The champion after it. */
  readonly to: string;
}

/** Options of {@linkcode rollback}. */
export interface RollbackRequest {
  readonly name: string;
  readonly lockTtlMs: number;
  readonly lockSettleMs?: number;
}

/** Makes `previous-champion` the champion again; throws when there is none. */
export async function rollback(
  client: MlflowClient,
  request: RollbackRequest,
): Promise<RollbackOutcome> {
  const { name } = request;
  const lock = await acquirePromotionLock(client, name, {
    ttlMs: request.lockTtlMs,
    settleMs: request.lockSettleMs,
  });
  try {
    const aliases = (await client.registry.getRegisteredModel(name))?.aliases ?? {};
    const from = aliases[ALIAS.champion];
    const to = aliases[ALIAS.previousChampion];
    if (from === undefined || to === undefined) {
      throw new RegistryError(
        `cannot roll back "${name}": ${
          from === undefined ? "no champion" : `champion is v${from}`
        }, ` +
          `${
            to === undefined
              ? `no ${ALIAS.previousChampion}`
              : `${ALIAS.previousChampion} is v${to}`
          }`,
      );
    }
    await lock.confirm();
    await client.registry.setAlias(name, ALIAS.champion, to);
    await client.registry.deleteAlias(name, ALIAS.previousChampion);
    const at = new Date().toISOString();
    await client.registry.setModelVersionTag(name, from, "promotion.rolled_back_at", at);
    return { from, to };
  } finally {
    await lock.release();
  }
}

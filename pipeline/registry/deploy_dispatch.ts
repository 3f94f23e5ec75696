/**
 * The request for a deployment that follows a change of champion: a GitHub
 * `repository_dispatch` event of type {@linkcode DEPLOY_EVENT}, carrying the model name
 * and the new champion's version, which starts `.github/workflows/deploy.yml`. It is off
 * unless both `DEPLOY_DISPATCH_REPO` (`owner/name`) and `DEPLOY_DISPATCH_TOKEN` (a token
 * allowed to write the repository's contents, or a fine-grained one with "Contents:
 * write") are set; `GITHUB_API_URL` points elsewhere than api.github.com (GitHub
 * Enterprise). The token is sent as a header and appears in no message. The names are
 * not GitHub Actions' own `GITHUB_TOKEN`/`GITHUB_REPOSITORY`, which every workflow step
 * has: a promotion run in CI against a throwaway registry must not deploy anything.
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";

/** The `event_type` the deploy workflow listens for. */
export const DEPLOY_EVENT = "model-promoted";

/** Where and how to send the dispatch. */
export interface DispatchSettings {
  /** `owner/name` of the repository whose deploy workflow runs. */
  readonly repository: string;
  readonly token: string;
  /** The REST API's base URL, without a trailing slash. */
  readonly apiUrl: string;
}

/** Bad dispatch settings, or a dispatch GitHub refused. */
export class DeployDispatchError extends UserError {
  override name = "DeployDispatchError";
}

/**
 * The dispatch settings from the environment, `undefined` when dispatching is off (neither
 * variable set); throws naming the variable when only one is set or the repository is
 * not `owner/name`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const env = (vars: Record<string, string>) => (name: string) => vars[name];
 * assert.equal(dispatchSettings(env({})), undefined);
 * assert.equal(
 *   dispatchSettings(env({ DEPLOY_DISPATCH_REPO: "o/r", DEPLOY_DISPATCH_TOKEN: "t" }))?.apiUrl,
 *   "https://api.github.com",
 * );
 * assert.throws(() => dispatchSettings(env({ DEPLOY_DISPATCH_REPO: "o/r" })), /DEPLOY_DISPATCH_TOKEN/);
 * ```
 */
export function dispatchSettings(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): DispatchSettings | undefined {
  const repository = env("DEPLOY_DISPATCH_REPO")?.trim() || undefined;
  const token = env("DEPLOY_DISPATCH_TOKEN")?.trim() || undefined;
  if (repository === undefined && token === undefined) return undefined;
  if (repository === undefined) {
    throw new DeployDispatchError(
      "DEPLOY_DISPATCH_TOKEN is set but DEPLOY_DISPATCH_REPO is not: set both (owner/name) " +
        "to request a deployment on promotion, or neither",
    );
  }
  if (token === undefined) {
    throw new DeployDispatchError(
      "DEPLOY_DISPATCH_REPO is set but DEPLOY_DISPATCH_TOKEN is not: set both to request " +
        "a deployment on promotion, or neither",
    );
  }
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    throw new DeployDispatchError(
      `DEPLOY_DISPATCH_REPO is "${repository}", not of the form owner/name`,
    );
  }
  const apiUrl = (env("GITHUB_API_URL")?.trim() || "https://api.github.com").replace(/\/+$/, "");
  return { repository, token, apiUrl };
}

/** What the deployment is for. */
export interface DeployTarget {
  /** The registered model. */
  readonly name: string;
  /** The version that is champion now. */
  readonly version: string;
  /** What made it champion. */
  readonly reason: "promotion" | "rollback";
}

/**
 * The HTTP request of a dispatch (`POST /repos/{owner}/{repo}/dispatches`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const settings = { repository: "o/r", token: "t", apiUrl: "https://api.github.com" };
 * const request = dispatchRequest(settings, { name: "m", version: "4", reason: "promotion" });
 * assert.equal(request.url, "https://api.github.com/repos/o/r/dispatches");
 * assert.deepEqual(JSON.parse(request.body), {
 *   event_type: "model-promoted",
 *   client_payload: { model: "m", version: "4", reason: "promotion" },
 * });
 * ```
 */
export function dispatchRequest(
  settings: DispatchSettings,
  target: DeployTarget,
): { url: string; headers: Record<string, string>; body: string } {
  return {
    url: `${settings.apiUrl}/repos/${settings.repository}/dispatches`,
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${settings.token}`,
      "content-type": "application/json",
      "x-github-api-version": "2022-11-28",
    },
    body: JSON.stringify({
      event_type: DEPLOY_EVENT,
      client_payload: { model: target.name, version: target.version, reason: target.reason },
    }),
  };
}

/**
 * Sends the dispatch; GitHub answers 204. Throws naming the status and GitHub's message
 * (never the token) otherwise, or when GitHub cannot be reached within 15 s.
 *
 * @example
 * ```ts ignore
 * const settings = dispatchSettings();
 * if (settings) await sendDeployDispatch(settings, { name: "m", version: "4", reason: "promotion" });
 * ```
 */
export async function sendDeployDispatch(
  settings: DispatchSettings,
  target: DeployTarget,
): Promise<void> {
  const { url, headers, body } = dispatchRequest(settings, target);
  const where = `${settings.apiUrl}/repos/${settings.repository}/dispatches`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new DeployDispatchError(`${where} cannot be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.status === 204) return;
  let message = text.slice(0, 200);
  try {
    message = JSON.parse(text).message ?? message;
  } catch {
    // Not JSON: the text as it came.
  }
  const hint = response.status === 401 || response.status === 403 || response.status === 404
    ? " (check that DEPLOY_DISPATCH_TOKEN may write DEPLOY_DISPATCH_REPO's contents)"
    : "";
  throw new DeployDispatchError(
    `${where} answered ${response.status}: ${message.split(settings.token).join("***")}${hint}`,
  );
}

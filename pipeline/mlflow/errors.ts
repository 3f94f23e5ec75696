/**
 * The single error type raised by the MLflow client, so callers can tell a tracking
 * failure from a bug in their own code and report it without a stack trace.
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";

/** What went wrong in one call to a tracking server. */
export interface MlflowErrorDetails {
  /** The tracking server the call went to. */
  readonly trackingUri: string;
  /** The HTTP method and endpoint path, e.g. `POST /api/2.0/mlflow/runs/create`. */
  readonly call: string;
  /** The HTTP status, absent when the server could not be reached at all. */
  readonly status?: number;
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  readonly errorCode?: string;
  /** MLflow's message, or a description of the transport failure. */
  readonly reason: string;
}

/**
 * A tracking server that cannot be used: not reachable, not installed, misconfigured
 * (`MLFLOW_*` settings) or failing to start. The message says which and what to do.
 */
export class TrackingServerError extends UserError {
  override name = "TrackingServerError";
}

/**
 * A failed MLflow call; the message names the server, the call, the status and MLflow's reason.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MlflowClient } from "./client.ts";
 *
 * // A port that was just free: the call fails without an answer, so with no error code.
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = listener.addr as Deno.NetAddr;
 * listener.close();
 * const client = new MlflowClient(`http://127.0.0.1:${port}`, { retry: { maxAttempts: 1 } });
 * const error = await client.tracking.getRun("missing").catch((e) => e);
 * assert.ok(error instanceof MlflowError && error.status === undefined);
 * assert.ok(!error.hasCode("RESOURCE_DOES_NOT_EXIST"));
 * assert.match(error.message, /^MLflow GET \/api\/2.0\/mlflow\/runs\/get at http:\/\/127.0.0.1:\d+ failed: /);
 * ```
 */
export class MlflowError extends UserError {
  /** The tracking server the call went to. */
  readonly trackingUri: string;
  /** The HTTP method and endpoint path. */
  readonly call: string;
  /** The HTTP status, absent when the server could not be reached. */
  readonly status?: number;
  /** MLflow's `error_code`, when the server sent one. */
  readonly errorCode?: string;

  /** Builds the error and its message from the call's details. */
  constructor(details: MlflowErrorDetails, options?: ErrorOptions) {
    const answer = [details.status, details.errorCode].filter((part) => part !== undefined);
    const reason = answer.length > 0 ? `${answer.join(" ")}: ${details.reason}` : details.reason;
    super(`MLflow ${details.call} at ${details.trackingUri} failed: ${reason}`, options);
    this.name = "MlflowError";
    this.trackingUri = details.trackingUri;
    this.call = details.call;
    this.status = details.status;
    this.errorCode = details.errorCode;
  }

  /** Whether MLflow answered with this `error_code`. */
  hasCode(code: string): boolean {
    return this.errorCode === code;
  }
}

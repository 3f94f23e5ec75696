/**
 * HTTP transport to an MLflow tracking server: JSON or raw bytes over `fetch`, with
 * bounded exponential backoff for the failures that are worth retrying (no connection,
 * timeouts, 429 and 5xx) and an {@linkcode MlflowError} for everything else.
 *
 * @module
 */
import { z } from "zod";
import {
  authorizationHeader,
  credentialsFromEnv,
  credentialsFromUri,
  type MlflowCredentials,
} from "./auth.ts";
import { MlflowError } from "./errors.ts";
import { describeFetchFailure } from "./fetch_failure.ts";

/** How often and how patiently a failing call is retried. */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  readonly maxAttempts: number;
  /** Delay before the first retry; doubles on every further retry. */
  readonly initialDelayMs: number;
  /** Upper bound of a single delay. */
  readonly maxDelayMs: number;
}

/** Small defaults: a down server is reported after about 1.4 s of waiting. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 2000 };

/** Options of {@linkcode HttpTransport}. */
export interface TransportOptions {
  /** Overrides parts of {@linkcode DEFAULT_RETRY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout; defaults to 60 s so large artifacts can still upload. */
  readonly timeoutMs?: number;
  /**
   * Explicit credentials; `null` for none from the environment. Defaults to
   * {@linkcode credentialsFromEnv}. Without either, the user and password in the tracking
   * URI's user info (`http://user:password@host`) are used, if any.
   */
  readonly credentials?: MlflowCredentials | null;
}

/** Query values; arrays become repeated keys, `undefined` is left out. */
export type Query = Record<string, string | number | readonly string[] | undefined>;

/** The payload and query of one call. */
export interface CallOptions {
  readonly query?: Query;
  /** Sent as a JSON body. */
  readonly json?: unknown;
  /** Sent as a raw `application/octet-stream` body. */
  readonly bytes?: Uint8Array<ArrayBuffer>;
}

const ErrorBody = z.object({ error_code: z.string().optional(), message: z.string().optional() });

/**
 * Sends calls to one tracking server.
 *
 * @example With a tracking server on port 5000 (`deno task mlflow start`)
 * ```ts ignore
 * import { z } from "zod";
 *
 * const http = new HttpTransport("http://127.0.0.1:5000");
 * const body = await http.json("GET", "/api/2.0/mlflow/experiments/get-by-name", z.object({}), {
 *   query: { experiment_name: "crime" },
 * });
 * ```
 */
export class HttpTransport {
  /**
   * The server's base URI, without a trailing slash and without user info: safe to show,
   * and the base of every request URL (credentials travel in the `Authorization` header).
   */
  readonly trackingUri: string;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #authorization?: string;

  /** Prepares calls to `trackingUri`; nothing is sent until a call is made. */
  constructor(trackingUri: string, options: TransportOptions = {}) {
    // The password must not reach a request URL, an error message or a log line.
    const fromUri = credentialsFromUri(trackingUri);
    this.trackingUri = fromUri.uri;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    const credentials = options.credentials === undefined
      ? credentialsFromEnv() ?? fromUri.credentials
      : options.credentials ?? fromUri.credentials;
    if (credentials) this.#authorization = authorizationHeader(credentials);
  }

  /** Makes a call and parses its JSON answer with `schema`. */
  async json<S extends z.ZodType>(
    method: string,
    endpoint: string,
    schema: S,
    options: CallOptions = {},
  ): Promise<z.output<S>> {
    const text = new TextDecoder().decode(await this.#send(method, endpoint, options));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#error(method, endpoint, { reason: `answer is not JSON: ${text.slice(0, 120)}` });
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const reason = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw this.#error(method, endpoint, { reason: `unexpected answer (${reason})` });
  }

  /** Makes a call and returns its answer as raw bytes. */
  bytes(method: string, endpoint: string, options: CallOptions = {}): Promise<Uint8Array> {
    return this.#send(method, endpoint, options);
  }

  async #send(method: string, endpoint: string, options: CallOptions): Promise<Uint8Array> {
    const url = this.#url(endpoint, options.query);
    const init = this.#init(method, options);
    for (let attempt = 1;; attempt++) {
      const last = attempt >= this.#retry.maxAttempts;
      const after = last ? ` (after ${attempt} attempts)` : "";
      let status: number;
      let body: Uint8Array;
      try {
        // The body is read under the same timeout so a stalled download is retried too.
        const response = await fetch(url, {
          ...init,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        status = response.status;
        body = new Uint8Array(await response.arrayBuffer());
      } catch (cause) {
        if (last) {
          const failure = describeFetchFailure(cause, this.#timeoutMs);
          const reason = `server unreachable${after}: ${failure}`;
          throw this.#error(method, endpoint, { reason }, cause);
        }
        await this.#pause(attempt);
        continue;
      }
      if (status < 300) return body;
      const retryable = status >= 500 || status === 429;
      if (retryable && !last) {
        await this.#pause(attempt);
        continue;
      }
      const error = parseErrorBody(body);
      throw this.#error(method, endpoint, {
        status,
        errorCode: error.errorCode,
        reason: retryable ? error.reason + after : error.reason,
      });
    }
  }

  #url(endpoint: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of typeof value === "object" ? value : [value]) params.append(key, `${item}`);
    }
    const search = params.size > 0 ? `?${params}` : "";
    return `${this.trackingUri}${endpoint}${search}`;
  }

  #init(method: string, options: CallOptions): RequestInit {
    const headers = new Headers({ accept: "application/json" });
    if (this.#authorization) headers.set("authorization", this.#authorization);
    if (options.bytes !== undefined) {
      headers.set("content-type", "application/octet-stream");
      return { method, headers, body: options.bytes };
    }
    if (options.json === undefined) return { method, headers };
    headers.set("content-type", "application/json");
    return { method, headers, body: JSON.stringify(options.json) };
  }

  #pause(attempt: number): Promise<void> {
    const { initialDelayMs, maxDelayMs } = this.#retry;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    return new Promise((resolve) => setTimeout(resolve, delay));
  }

  #error(
    method: string,
    endpoint: string,
    details: { status?: number; errorCode?: string; reason: string },
    cause?: unknown,
  ): MlflowError {
    const call = `${method} ${endpoint}`;
    return new MlflowError({ trackingUri: this.trackingUri, call, ...details }, { cause });
  }
}

function parseErrorBody(body: Uint8Array): { errorCode?: string; reason: string } {
  const text = new TextDecoder().decode(body);
  try {
    const parsed = ErrorBody.parse(JSON.parse(text));
    return { errorCode: parsed.error_code, reason: parsed.message ?? text };
  } catch {
    return { reason: text.trim().slice(0, 300) || "no error message" };
  }
}

/**
 * Credentials for a tracking server, read from the same environment variables the
 * MLflow Python client honours so one configuration serves both, or from the user info
 * of the tracking URI, which is then taken out of the URI.
 *
 * @module
 */
import { redactUri } from "./redact_uri.ts";

/** Either a bearer token or a username and password for basic authentication. */
export type MlflowCredentials =
  | { readonly token: string }
  | { readonly username: string; readonly password: string };

/**
 * Reads `MLFLOW_TRACKING_TOKEN`, else `MLFLOW_TRACKING_USERNAME` + `MLFLOW_TRACKING_PASSWORD`.
 *
 * Returns `undefined` when none are set; a token wins over a username and password.
 */
export function credentialsFromEnv(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): MlflowCredentials | undefined {
  const token = env("MLFLOW_TRACKING_TOKEN");
  if (token) return { token };
  const username = env("MLFLOW_TRACKING_USERNAME");
  const password = env("MLFLOW_TRACKING_PASSWORD");
  if (username && password !== undefined) return { username, password };
  return undefined;
}

/** The `Authorization` header value for the credentials. */
export function authorizationHeader(credentials: MlflowCredentials): string {
  if ("token" in credentials) return `Bearer ${credentials.token}`;
  const pair = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
  return `Basic ${btoa(String.fromCharCode(...pair))}`;
}

/** A tracking URI with its user info taken out, and the credentials that user info held. */
export interface UriWithoutCredentials {
  /** The URI without user info and without a trailing slash, safe to show and log. */
  readonly uri: string;
  /** The user name and password of the URI's user info, percent-decoded; absent if none. */
  readonly credentials?: MlflowCredentials;
}

/**
 * Takes the user info out of a tracking URI (`http://user:password@host:5000`), as the
 * MLflow Python client's HTTP library does, so the password is sent only in an
 * `Authorization` header and never appears in a request URL, an error message or a log.
 * A URI that cannot be parsed is returned with its password hidden by
 * {@linkcode redactUri} (requests to it fail anyway).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { credentialsFromUri } from "./auth.ts";
 *
 * assert.deepEqual(credentialsFromUri("http://alice:s3cret@mlflow:5000/"), {
 *   uri: "http://mlflow:5000",
 *   credentials: { username: "alice", password: "s3cret" },
 * });
 * assert.deepEqual(credentialsFromUri("http://mlflow:5000"), { uri: "http://mlflow:5000" });
 * ```
 */
export function credentialsFromUri(uri: string): UriWithoutCredentials {
  const trimmed = uri.replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { uri: redactUri(trimmed) };
  }
  if (url.username === "" && url.password === "") return { uri: trimmed };
  const credentials = {
    username: safeDecode(url.username),
    password: safeDecode(url.password),
  };
  url.username = "";
  url.password = "";
  return { uri: url.href.replace(/\/+$/, ""), credentials };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

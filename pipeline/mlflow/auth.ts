/**
 * Credentials for a tracking server, read from the same environment variables the
 * MLflow Python client honours so one configuration serves both.
 *
 * @module
 */

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

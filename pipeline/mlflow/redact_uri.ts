/**
 * Hides the secrets in a connection URI before it is printed or logged.
 *
 * @module
 */

/** What a hidden secret is replaced with. */
export const REDACTED = "***";

// The user name ends at the first `:` or `/`, as SQLAlchemy (hence MLflow) reads it. The
// password is taken to run to the last `@`: a password with an unencoded `@`, `/` or `?`
// is then still hidden whole, at the cost of hiding the host too in odd URIs.
const USERINFO_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/]*:).*@/is;
// libpq also takes `password=` (and `sslpassword=`) as a query parameter or keyword.
const SECRET_PARAMETER = /(^|[?&;\s])([\w.-]*(?:pass|pwd|secret|token)[\w.-]*=)[^&;\s]*/gi;

/**
 * The URI with the password of its user info and the values of password-like query
 * parameters replaced by {@linkcode REDACTED}; everything else (scheme, user, host, port,
 * database, other parameters) is kept, to tell which store is meant. For display only:
 * the result is not meant to be parsed back.
 *
 * @example Passwords in the user info and in the query are hidden
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactUri } from "./redact_uri.ts";
 *
 * assert.equal(
 *   redactUri("postgresql://mlflow:s3cret@db.internal:5432/mlflow?sslmode=require"),
 *   "postgresql://mlflow:***@db.internal:5432/mlflow?sslmode=require",
 * );
 * assert.equal(
 *   redactUri("postgresql://mlflow@db/mlflow?password=s3cret"),
 *   "postgresql://mlflow@db/mlflow?password=***",
 * );
 * assert.equal(redactUri("sqlite:////srv/mlruns/mlflow.db"), "sqlite:////srv/mlruns/mlflow.db");
 * ```
 */
export function redactUri(uri: string): string {
  return uri
    .replace(USERINFO_PASSWORD, `$1${REDACTED}@`)
    .replace(SECRET_PARAMETER, `$1$2${REDACTED}`);
}

/**
 * The URL without its user info, for a URL that is stored or opened rather than only
 * read (a run's repository URL, a link into the UI): `https://token@host/...` would
 * carry a secret along. An scp-like `git@host:path` address has no scheme and is kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutUserInfo } from "./redact_uri.ts";
 *
 * assert.equal(withoutUserInfo("https://x-token:s3cret@github.com/o/r.git"), "https://github.com/o/r.git");
 * assert.equal(withoutUserInfo("https://u:p@ss@github.com/o/r.git"), "https://github.com/o/r.git");
 * assert.equal(withoutUserInfo("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
 * assert.equal(withoutUserInfo("git@github.com:o/r.git"), "git@github.com:o/r.git");
 * ```
 */
export function withoutUserInfo(url: string): string {
  // Up to the authority's last "@": a password may itself hold one.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, "$1");
}

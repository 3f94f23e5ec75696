import assert from "node:assert/strict";
import { redactUri } from "../../pipeline/mlflow/redact_uri.ts";

Deno.test("the user-info password is hidden, the rest of the URI kept", () => {
  assert.equal(
    redactUri("postgresql+psycopg2://mlflow:s3cret@db.internal:5432/mlflow?sslmode=require"),
    "postgresql+psycopg2://mlflow:***@db.internal:5432/mlflow?sslmode=require",
  );
  assert.equal(redactUri("postgresql://u:p%40ss%2F@h/db"), "postgresql://u:***@h/db");
  assert.equal(
    redactUri("https://alice:tok@mlflow.example.com"),
    "https://alice:***@mlflow.example.com",
  );
});

Deno.test("a password with unencoded delimiters is hidden whole", () => {
  for (const password of ["p@ss", "p/a:ss", "pa?ss#", "a@b@c"]) {
    const redacted = redactUri(`postgresql://mlflow:${password}@db:5432/mlflow`);
    assert.equal(redacted, "postgresql://mlflow:***@db:5432/mlflow", password);
  }
  // A user name may contain `@` (Azure's user@server form).
  assert.equal(
    redactUri("postgresql://u@srv:pw@srv.example:5432/db"),
    "postgresql://u@srv:***@srv.example:5432/db",
  );
});

Deno.test("password-like parameters and keywords are hidden", () => {
  assert.equal(
    redactUri("postgresql://u@h/db?sslmode=require&password=x&sslpassword=y"),
    "postgresql://u@h/db?sslmode=require&password=***&sslpassword=***",
  );
  assert.equal(
    redactUri("host=db user=u PASSWORD=x dbname=m"),
    "host=db user=u PASSWORD=*** dbname=m",
  );
});

Deno.test("URIs without secrets are unchanged", () => {
  for (
    const uri of [
      "sqlite:////work/mlruns/mlflow.db",
      "sqlite:///rel@tive/mlflow.db",
      "postgresql://mlflow@db:5432/mlflow",
      "postgresql://db:5432/mlflow",
      "http://127.0.0.1:5000",
      "",
    ]
  ) assert.equal(redactUri(uri), uri);
});

/**
 * The stack's MLflow image with wrong or missing settings: each stops the container with
 * a message that names the setting, shows no password, and is no traceback.
 */
import assert from "node:assert/strict";
import { ensureLocalBases } from "../../tools/container/base_images.ts";
import { buildMlflowImage, IMAGES } from "../../tools/container/images.ts";
import { podman } from "../../tools/container/podman.ts";
import { containerSkipReason, withImageLock } from "../support/containers.ts";

const skip = await containerSkipReason();
if (skip) console.error(`MLflow image tests skipped: ${skip}`);
if (!skip) {
  await withImageLock(async () => {
    await ensureLocalBases(["python"]);
    await buildMlflowImage();
  });
}

/** Runs the image once with `env` and returns its exit code and output. */
async function run(env: Record<string, string>) {
  const { code, stdout, stderr } = await podman([
    "run",
    "--rm",
    // Were a bad setting accepted, MLflow would serve until killed.
    "--timeout",
    "120",
    "--cap-drop=all",
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    IMAGES.mlflow,
  ], { check: false });
  return { code, output: stdout + stderr };
}

const cases: { name: string; env: Record<string, string>; code: number; says: RegExp }[] = [
  {
    name: "no backend store",
    env: {},
    code: 2,
    says: /MLFLOW_BACKEND_STORE_URI is not set/,
  },
  {
    name: "a store MLflow here cannot use",
    env: { MLFLOW_BACKEND_STORE_URI: "mysql://mlflow:hunter2-secret@db/mlflow" },
    code: 2,
    says:
      /MLFLOW_BACKEND_STORE_URI must start with postgresql:\/\/ or sqlite:\/\/\/, got 'mysql:\/\/mlflow:\*\*\*@db\/mlflow'/,
  },
  {
    name: "a password beside a URI that has one",
    env: {
      MLFLOW_BACKEND_STORE_URI: "postgresql://mlflow:hunter2-old@db/mlflow",
      MLFLOW_BACKEND_STORE_PASSWORD: "hunter2-new",
    },
    code: 2,
    says: /MLFLOW_BACKEND_STORE_URI must name a user and no password/,
  },
  {
    name: "a malformed number",
    env: { MLFLOW_BACKEND_STORE_URI: "sqlite:////tmp/x.db", MLFLOW_WORKERS: "two" },
    code: 2,
    says: /MLFLOW_WORKERS must be a positive whole number, got 'two'/,
  },
  {
    // A password that ends the user info early for a naive URI parser, and that libpq
    // cannot parse either: neither may print any part of it.
    name: "a URI whose password is not encoded",
    env: {
      MLFLOW_BACKEND_STORE_URI: "postgresql://mlflow:hunter2-secret/x?y#z@127.0.0.1:9/mlflow",
    },
    code: 2,
    says:
      /MLFLOW_BACKEND_STORE_URI postgresql:\/\/mlflow:\*\*\*@127\.0\.0\.1:9\/mlflow is not a valid PostgreSQL URI/,
  },
  {
    name: "a database that never answers, the password on its own",
    env: {
      MLFLOW_BACKEND_STORE_URI: "postgresql://mlflow@127.0.0.1:9/mlflow",
      MLFLOW_BACKEND_STORE_PASSWORD: "hunter2-secret@/?#:%",
      MLFLOW_DB_WAIT_SECONDS: "3",
    },
    code: 1,
    says:
      /waiting for the backend store postgresql:\/\/mlflow:\*\*\*@127\.0\.0\.1:9\/mlflow[^]*did not answer within 3 s/,
  },
];

for (const { name, env, code, says } of cases) {
  Deno.test({
    name: `the MLflow image stops on ${name}, naming the setting${
      skip ? ` (skipped: ${skip})` : ""
    }`,
    ignore: skip !== undefined,
    async fn() {
      const result = await run(env);
      assert.equal(result.code, code, result.output);
      assert.match(result.output, says);
      for (const part of ["hunter2", "x?y", "y#z"]) assert.ok(!result.output.includes(part), part);
      assert.doesNotMatch(result.output, /Traceback/);
    },
  });
}

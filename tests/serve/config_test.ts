import assert from "node:assert/strict";
import { ConfigError, parseConfig, usage } from "../../serve/config.ts";

Deno.test("defaults apply when nothing is set", () => {
  const config = parseConfig([], {});
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.port, 8080);
  assert.equal(config.model, undefined);
  assert.equal(config.maxBatchRows, 1000);
  assert.equal(config.maxBodyBytes, 8 * 1024 * 1024);
  assert.equal(config.reloadInterval, 0);
  assert.equal(config.predictionLog, ".serve/predictions.jsonl");
  assert.equal(config.adminToken, undefined);
  assert.equal(config.maxConnections, 256);
  assert.equal(config.headerTimeout, 10);
  assert.equal(config.requestTimeout, 30);
  assert.equal(config.idleTimeout, 30);
  assert.equal(config.predictionLogMaxBytes, 128 * 1024 * 1024);
  assert.equal(config.predictionLogFiles, 8);
});

Deno.test("environment variables set options and flags override them", () => {
  const env = {
    SERVE_PORT: "9000",
    SERVE_HOST: "0.0.0.0",
    SERVE_MODEL: "models:/crime@champion",
    MLFLOW_TRACKING_URI: "http://mlflow:5000",
    SERVE_RELOAD_INTERVAL: "30",
    SERVE_ADMIN_TOKEN: "0123456789abcdef",
    SERVE_PREDICTION_LOG: "off",
  };
  const config = parseConfig(["--port", "9001", "--model=models/model_bundle.json"], env);
  assert.equal(config.port, 9001);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.model, "models/model_bundle.json");
  assert.equal(config.mlflowUri, "http://mlflow:5000");
  assert.equal(config.reloadInterval, 30);
  assert.equal(config.adminToken, "0123456789abcdef");
  assert.equal(config.predictionLog, undefined);
});

Deno.test("an empty environment variable counts as unset", () => {
  assert.equal(parseConfig([], { SERVE_PORT: "" }).port, 8080);
});

Deno.test("bad values are reported with the flag, the variable and the rule", () => {
  const bad = (args: string[], env: Record<string, string> = {}) => {
    try {
      parseConfig(args, env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail(`accepted ${args.join(" ")}`);
  };
  assert.match(bad(["--port", "http"]), /^--port \(SERVE_PORT\): .*number/);
  assert.match(bad([], { SERVE_PORT: "70000" }), /^--port \(SERVE_PORT\): .*65535/);
  assert.match(bad(["--max-batch-rows", "1.5"]), /--max-batch-rows \(SERVE_MAX_BATCH_ROWS\)/);
  assert.match(bad(["--model", "models:/no-alias"]), /--model \(SERVE_MODEL\): must be models:\//);
  assert.match(bad(["--mlflow-uri", "ftp://x"]), /--mlflow-uri \(MLFLOW_TRACKING_URI\)/);
  assert.match(bad(["--admin-token", "short"]), /at least 16 characters/);
  assert.match(bad(["--log-level", "loud"]), /--log-level/);
  assert.match(bad(["--max-connections=-1"]), /^--max-connections \(SERVE_MAX_CONNECTIONS\)/);
  assert.match(bad([], { SERVE_IDLE_TIMEOUT: "soon" }), /^--idle-timeout \(SERVE_IDLE_TIMEOUT\)/);
  assert.match(bad(["--prot", "1"]), /Unknown option '--prot'.*see --help/);
  assert.match(bad(["stray"]), /positional argument/);
  assert.equal(bad(["--port", "x", "--max-body-bytes", "1"]).split("\n").length, 2);
});

Deno.test("the help text lists every flag with its variable", () => {
  const text = usage();
  for (
    const needle of [
      "--port <value> (env SERVE_PORT)",
      "--healthcheck",
      "--model <value> (env SERVE_MODEL)",
    ]
  ) {
    assert.ok(text.includes(needle), needle);
  }
});

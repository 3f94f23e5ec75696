/**
 * The server's configuration: one table of options, each settable by a command-line
 * flag or an environment variable (the flag wins), validated by a zod schema so a bad
 * value stops the server with a message naming the flag, the variable and the rule.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { LOG_LEVELS } from "./telemetry/logger.ts";
import { DEFAULT_MODEL_URI, parseModelUri } from "./model/model_source.ts";
import type { DriftSettings } from "./monitoring/drift_monitor.ts";

const MiB = 1024 * 1024;

export { DEFAULT_MODEL_URI };

/**
 * Whether `host` is a loopback address, reachable from this machine only: `localhost`,
 * `127.0.0.0/8` or `::1`.
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** An origin as browsers send it: `scheme://host[:port]`, nothing more. */
const Origin = z.string().superRefine((value, context) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Reported below.
  }
  if (url && /^https?:$/.test(url.protocol) && url.origin === value) return;
  context.addIssue({
    code: "custom",
    message: `"${value}" is not an origin: write scheme, host and optional port, like ` +
      "https://dashboard.example.com or http://localhost:3000 (no path, no trailing slash; " +
      "* is not accepted)",
  });
});

/** The validated configuration. */
export const ServeConfigSchema = z.strictObject({
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  model: z.string().min(1).optional().refine((uri) => {
    if (uri === undefined) return true;
    try {
      parseModelUri(uri);
      return true;
    } catch {
      return false;
    }
  }, "must be models:/<name>@<alias>, models:/<name>/<version>, embedded, or a bundle path"),
  mlflowUri: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:5000"),
  cacheDir: z.string().min(1).default(".serve/model-cache"),
  predictionLog: z.string().min(1).default(".serve/predictions.jsonl")
    .transform((path) => (path === "off" ? undefined : path)),
  predictionLogMaxBytes: z.coerce.number().int().min(1024).default(128 * MiB),
  predictionLogFiles: z.coerce.number().int().min(0).max(100).default(8),
  predictionLogBufferBytes: z.coerce.number().int().min(64 * 1024).default(4 * MiB),
  maxBodyBytes: z.coerce.number().int().min(1024).default(8 * MiB),
  maxBatchRows: z.coerce.number().int().min(1).default(1000),
  workers: z.coerce.number().int().min(1).max(64).default(1),
  feedbackStore: z.string().default("sqlite:.serve/feedback.db").refine(
    (value) => value === "off" || /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\/.+/.test(value),
    "must be off, sqlite:<path> or postgresql://user:password@host:port/database",
  ),
  feedbackMaxAgeDays: z.coerce.number().gt(0).max(3650).default(30),
  drift: z.enum(["on", "off"]).default("on"),
  driftWindowRows: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  driftWindowMinutes: z.coerce.number().int().min(1).max(24 * 60).default(60),
  driftMinRows: z.coerce.number().int().min(1).default(100),
  driftKsMaxReferenceRows: z.coerce.number().int().min(0).default(1000),
  driftKsPValue: z.coerce.number().gt(0).lt(1).default(0.05),
  driftWasserstein: z.coerce.number().gt(0).default(0.1),
  driftShare: z.coerce.number().gt(0).max(1).default(0.5),
  maxConnections: z.coerce.number().int().min(0).default(256),
  headerTimeout: z.coerce.number().min(0).default(10),
  requestTimeout: z.coerce.number().min(0).default(30),
  idleTimeout: z.coerce.number().min(0).default(30),
  reloadInterval: z.coerce.number().min(0).default(0),
  adminToken: z.string().min(16, "must be at least 16 characters").optional(),
  corsOrigins: z.string().default("").transform((list) =>
    list.split(",").map((origin) => origin.trim()).filter((origin) => origin !== "")
  ).pipe(z.array(Origin)),
  logLevel: z.enum(LOG_LEVELS).default("info"),
  shutdownTimeout: z.coerce.number().min(0).default(10),
  healthcheck: z.boolean().default(false),
  help: z.boolean().default(false),
}).superRefine((config, context) => {
  // Beyond loopback, anyone who reaches the port could reload the model: a token is
  // required. --help and --healthcheck start no server, so they need none.
  if (config.adminToken || config.help || config.healthcheck || isLoopback(config.host)) return;
  context.addIssue({
    code: "custom",
    path: ["adminToken"],
    message: `required when listening beyond loopback (--host ${config.host}): set ` +
      "SERVE_ADMIN_TOKEN or --admin-token to a secret of at least 16 characters (e.g. " +
      "`openssl rand -hex 16`), or listen on 127.0.0.1",
  });
});

/** The validated configuration. */
export type ServeConfig = z.output<typeof ServeConfigSchema>;

/**
 * The drift monitor's settings in `config`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driftSettings, parseConfig } from "./config.ts";
 *
 * const settings = driftSettings(parseConfig([], {}));
 * assert.equal(settings.enabled, true);
 * ```
 */
export function driftSettings(config: ServeConfig): DriftSettings {
  return {
    enabled: config.drift === "on",
    windowRows: config.driftWindowRows,
    windowMinutes: config.driftWindowMinutes,
    minRows: config.driftMinRows,
    ksMaxReferenceRows: config.driftKsMaxReferenceRows,
    ksPValue: config.driftKsPValue,
    wasserstein: config.driftWasserstein,
    driftShare: config.driftShare,
  };
}

type Key = keyof z.input<typeof ServeConfigSchema>;

/** A command-line option: its flag, the environment variable it falls back to, its help. */
export interface FlagSpec<K extends string = string> {
  readonly key: K;
  readonly flag: string;
  /** Absent for flags that only make sense on the command line. */
  readonly env?: string;
  readonly help: string;
  readonly boolean?: true;
}

type OptionSpec = FlagSpec<Key>;

/** Every option, with its flag, environment variable and help text. */
export const OPTIONS: readonly OptionSpec[] = [
  { key: "host", flag: "host", env: "SERVE_HOST", help: "address to listen on [127.0.0.1]" },
  { key: "port", flag: "port", env: "SERVE_PORT", help: "TCP port, 0 for any free one [8080]" },
  {
    key: "model",
    flag: "model",
    env: "SERVE_MODEL",
    help: "models:/<name>@<alias>, models:/<name>/<version>, a bundle path, or embedded " +
      `[the embedded bundle if any, else ${DEFAULT_MODEL_URI}]`,
  },
  {
    key: "mlflowUri",
    flag: "mlflow-uri",
    env: "MLFLOW_TRACKING_URI",
    help: "MLflow tracking server for models:/ URIs [http://127.0.0.1:5000]",
  },
  {
    key: "cacheDir",
    flag: "cache-dir",
    env: "SERVE_CACHE_DIR",
    help: "where registry bundles are cached for restarts without MLflow [.serve/model-cache]",
  },
  {
    key: "predictionLog",
    flag: "prediction-log",
    env: "SERVE_PREDICTION_LOG",
    help: "JSON-lines prediction log, or off [.serve/predictions.jsonl]",
  },
  {
    key: "predictionLogMaxBytes",
    flag: "prediction-log-max-bytes",
    env: "SERVE_PREDICTION_LOG_MAX_BYTES",
    help: "size at which the prediction log is rotated [128 MiB]",
  },
  {
    key: "predictionLogFiles",
    flag: "prediction-log-files",
    env: "SERVE_PREDICTION_LOG_FILES",
    help: "rotated prediction logs kept besides the current one; the log takes at most " +
      "(files + 1) x max bytes of disk [8]",
  },
  {
    key: "predictionLogBufferBytes",
    flag: "prediction-log-buffer-bytes",
    env: "SERVE_PREDICTION_LOG_BUFFER_BYTES",
    help: "size of each of the two prediction log buffers; lines finding both full are " +
      "dropped and counted [4 MiB]",
  },
  {
    key: "maxBodyBytes",
    flag: "max-body-bytes",
    env: "SERVE_MAX_BODY_BYTES",
    help: "largest accepted request body [8 MiB]",
  },
  {
    key: "maxBatchRows",
    flag: "max-batch-rows",
    env: "SERVE_MAX_BATCH_ROWS",
    help: "most rows in one batch request [1000]",
  },
  {
    key: "workers",
    flag: "workers",
    env: "SERVE_WORKERS",
    help: "server instances sharing the port, e.g. one per CPU core; more than 1 needs " +
      "Linux (SO_REUSEPORT) and --unstable-net [1]",
  },
  {
    key: "feedbackStore",
    flag: "feedback-store",
    env: "SERVE_FEEDBACK_STORE",
    help: "where predictions wait for POST /feedback and the joined pairs are kept: " +
      "sqlite:<path>, postgresql://user:password@host:port/database (shared by replicas), " +
      "or off [sqlite:.serve/feedback.db]",
  },
  {
    key: "feedbackMaxAgeDays",
    flag: "feedback-max-age-days",
    env: "SERVE_FEEDBACK_MAX_AGE_DAYS",
    help: "days a prediction waits for its observed value; older ones are pruned and " +
      "feedback for them is answered 410 [30]",
  },
  {
    key: "drift",
    flag: "drift",
    env: "SERVE_DRIFT",
    help: "on or off: track drift and data quality of the predicted rows (/monitoring and " +
      "the drift_* metrics) [on]",
  },
  {
    key: "driftWindowRows",
    flag: "drift-window-rows",
    env: "SERVE_DRIFT_WINDOW_ROWS",
    help: "drift and data quality: the row window, the last N predicted rows of each " +
      "instance (N bytes per feature) [5000]",
  },
  {
    key: "driftWindowMinutes",
    flag: "drift-window-minutes",
    env: "SERVE_DRIFT_WINDOW_MINUTES",
    help: "drift and data quality: the time window, in minutes [60]",
  },
  {
    key: "driftMinRows",
    flag: "drift-min-rows",
    env: "SERVE_DRIFT_MIN_ROWS",
    help: "fewest rows in a window for drift to be judged [100]",
  },
  {
    key: "driftKsMaxReferenceRows",
    flag: "drift-ks-max-reference-rows",
    env: "SERVE_DRIFT_KS_MAX_REFERENCE_ROWS",
    help: "reference sizes up to this are compared by the KS test, larger ones by the " +
      "Wasserstein distance, as Evidently does [1000]",
  },
  {
    key: "driftKsPValue",
    flag: "drift-ks-p-value",
    env: "SERVE_DRIFT_KS_P_VALUE",
    help: "KS p-value below which a feature has drifted [0.05]",
  },
  {
    key: "driftWasserstein",
    flag: "drift-wasserstein",
    env: "SERVE_DRIFT_WASSERSTEIN",
    help: "Wasserstein distance over the reference standard deviation above which a " +
      "feature has drifted [0.1]",
  },
  {
    key: "driftShare",
    flag: "drift-share",
    env: "SERVE_DRIFT_SHARE",
    help: "share of drifted features at which the data set has drifted [0.5]",
  },
  {
    key: "maxConnections",
    flag: "max-connections",
    env: "SERVE_MAX_CONNECTIONS",
    help: "open client connections per instance (each --workers instance has its own); the " +
      "next one is answered 503 with Retry-After. Each costs 3 file descriptors [256]",
  },
  {
    key: "headerTimeout",
    flag: "header-timeout",
    env: "SERVE_HEADER_TIMEOUT",
    help: "seconds a client may take to send a request's headers; then 408 and the " +
      "connection is closed [10]",
  },
  {
    key: "requestTimeout",
    flag: "request-timeout",
    env: "SERVE_REQUEST_TIMEOUT",
    help: "seconds from a request's first byte to its response's first byte, which bounds " +
      "a slow body; then 408 and the connection is closed [30]",
  },
  {
    key: "idleTimeout",
    flag: "idle-timeout",
    env: "SERVE_IDLE_TIMEOUT",
    help: "seconds a keep-alive connection may stay silent between requests [30]. With all " +
      "four of these at 0 the connection guard is off: connections go straight to the HTTP " +
      "server, a few percent faster, with no limit (for use behind a proxy that sets them)",
  },
  {
    key: "reloadInterval",
    flag: "reload-interval",
    env: "SERVE_RELOAD_INTERVAL",
    help: "seconds between checks of the model source for a new bundle, 0 for never [0]",
  },
  {
    key: "adminToken",
    flag: "admin-token",
    env: "SERVE_ADMIN_TOKEN",
    help: "bearer token required by POST /admin/reload, at least 16 characters; required " +
      "when --host is not loopback [none: allowed on a loopback --host only]",
  },
  {
    key: "corsOrigins",
    flag: "cors-origins",
    env: "SERVE_CORS_ORIGINS",
    help: "comma-separated origins (e.g. https://dashboard.example.com) whose web pages may " +
      "call the API from a browser (CORS); other origins get no CORS headers [none: CORS off]",
  },
  {
    key: "logLevel",
    flag: "log-level",
    env: "SERVE_LOG_LEVEL",
    help: "debug, info, warn or error [info]",
  },
  {
    key: "shutdownTimeout",
    flag: "shutdown-timeout",
    env: "SERVE_SHUTDOWN_TIMEOUT",
    help: "seconds to let in-flight requests finish on SIGTERM/SIGINT [10]",
  },
  {
    key: "healthcheck",
    flag: "healthcheck",
    help: "check GET /ready of the server on --port: exit 0 once its model is loaded, else 1 " +
      "with the reason",
    boolean: true,
  },
  { key: "help", flag: "help", help: "print this help", boolean: true },
];

/** A configuration that cannot be used; the message lists every problem. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The `--help` text. */
export function usage(): string {
  return "Serves predictions of the model bundle over HTTP.\n" +
    "`predict --input <file>` scores a CSV or Parquet file instead (see `predict --help`).\n\n" +
    `Options:\n${flagHelp(OPTIONS)}\n`;
}

/** The options' lines of a `--help` text: each flag, its variable, its help. */
export function flagHelp(options: readonly FlagSpec[]): string {
  return options.map((o) => {
    const flag = `--${o.flag}${o.boolean ? "" : " <value>"}`;
    const env = o.env ? ` (env ${o.env})` : "";
    return `  ${flag}${env}\n      ${o.help}`;
  }).join("\n");
}

/**
 * Reads `options` from `args`, each falling back to its environment variable (an empty one
 * counts as unset), keyed by option key. Throws a {@linkcode ConfigError} ending with
 * `hint`; a stray argument is not repeated, as it may be a secret given to the wrong flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFlags } from "./config.ts";
 *
 * const flags = [{ key: "port", flag: "port", env: "PORT", help: "" }];
 * assert.deepEqual(readFlags([], { PORT: "9" }, flags, "see --help"), { port: "9" });
 * assert.throws(() => readFlags(["s3cret"], {}, flags, "see --help"), /positional argument/);
 * ```
 */
export function readFlags(
  args: readonly string[],
  env: Record<string, string>,
  options: readonly FlagSpec[],
  hint: string,
): Record<string, unknown> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        options.map((o) => [o.flag, { type: o.boolean ? "boolean" : "string" }] as const),
      ),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const message = (error as { code?: string }).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
      ? "unexpected positional argument: every option is a --flag"
      : (error as Error).message;
    throw new ConfigError(`${message}; ${hint}`);
  }
  const raw: Record<string, unknown> = {};
  for (const o of options) {
    const fromEnv = o.env ? env[o.env] : undefined;
    const value = values[o.flag] ?? (fromEnv === "" ? undefined : fromEnv);
    if (value !== undefined) raw[o.key] = value;
  }
  return raw;
}

/**
 * Reads the configuration from command-line `args` and environment `env`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 *
 * const config = parseConfig(["--port", "9000"], { SERVE_HOST: "127.0.0.1" });
 * assert.equal(config.port, 9000);
 * assert.equal(config.host, "127.0.0.1");
 * ```
 */
export function parseConfig(args: readonly string[], env: Record<string, string>): ServeConfig {
  const raw = readFlags(args, env, OPTIONS, "see --help");
  const result = ServeConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const option = OPTIONS.find((o) => o.key === issue.path[0]);
      const name = option ? `--${option.flag}${option.env ? ` (${option.env})` : ""}` : "config";
      return `${name}: ${issue.message}`;
    }).join("\n"),
  );
}

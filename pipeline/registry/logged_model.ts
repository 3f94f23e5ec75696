/**
 * Logs a model bundle as an MLflow 3 logged model of the `python_function` flavour, so
 * that MLflow's own tools load, serve and evaluate the registered model. The prediction
 * code is the project's TypeScript predictor, packed by `deno bundle` into one script
 * (`pipeline/stages/pyfunc_predictor.ts`); the logging itself needs the MLflow library, so
 * it is a Python script run with the project's virtualenv (`pipeline/pyfunc/log_model.py`).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { RegistryError } from "./registry_error.ts";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const LOG_SCRIPT = join(PROJECT, "pipeline/pyfunc/log_model.py");
const PREDICTOR_ENTRY = join(PROJECT, "pipeline/stages/pyfunc_predictor.ts");
/** The packed predictor's file name among the model's artifacts. */
export const PREDICTOR_FILE = "predictor.js";

/** The logged model, as `log_model.py` reports it. */
export const LoggedModelSchema = z.strictObject({
  modelId: z.string().regex(/^m-[0-9a-f]+$/),
  /** `models:/<modelId>`: the source a version is registered from. */
  modelUri: z.string(),
  artifactLocation: z.string(),
});
/** A logged model: its id, URI and artifact location. */
export type LoggedModel = z.infer<typeof LoggedModelSchema>;

/** What {@linkcode logPyfuncModel} logs. */
export interface LoggedModelRequest {
  /** The model's name (shown on the experiment's Models tab). */
  readonly name: string;
  /** The sealed bundle file to ship. */
  readonly bundlePath: string;
  /** The training run the model belongs to. */
  readonly run: { readonly runId: string; readonly experimentId: string };
  /** The tracking server Python logs to. */
  readonly trackingUri: string;
  /** Metrics to link to the model besides the bundle's own. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** The virtualenv's Python; defaults to the project's `.venv/bin/python`. */
  readonly python?: string;
  /** The Deno binary that packs the predictor and checks the model; defaults to this one. */
  readonly deno?: string;
  /** Where the packed predictor is written while logging; the system's temporary directory unless given. */
  readonly workDir?: string;
}

/** Runs `command`, returning stdout; a failure is a RegistryError quoting stderr's end. */
async function run(
  what: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, { args, env, stdin: "null" }).output();
  } catch (error) {
    throw new RegistryError(`${what}: cannot run ${command}: ${(error as Error).message}`);
  }
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    const tail = stderr.trim().split("\n").slice(-12).join("\n");
    throw new RegistryError(`${what} failed (exit code ${output.code}):\n${tail}`);
  }
  return new TextDecoder().decode(output.stdout);
}

/** The Deno version of `deno`, e.g. `2.9.6`. */
async function denoVersion(deno: string): Promise<string> {
  const text = await run("deno --version", deno, ["--version"]);
  const version = /^deno (\S+)/.exec(text)?.[1];
  if (!version) throw new RegistryError(`cannot read the version of ${deno}: "${text}"`);
  return version;
}

/**
 * Packs the predictor with `deno bundle` and logs the model with `log_model.py`; the
 * logged model is linked to `run` and checked on its input example (which starts the
 * predictor once) before this resolves.
 *
 * @example Needs a tracking server and the project's virtualenv
 * ```ts ignore
 * const model = await logPyfuncModel({
 *   name: "communities-crime",
 *   bundlePath: "models/model_bundle.json",
 *   run: await TRAIN_RUN.read(),
 *   trackingUri: client.trackingUri,
 * });
 * await client.registry.createModelVersion({ name, source: model.modelUri, modelId: model.modelId });
 * ```
 */
export async function logPyfuncModel(request: LoggedModelRequest): Promise<LoggedModel> {
  const deno = request.deno ?? Deno.execPath();
  const python = request.python ?? join(PROJECT, ".venv/bin/python");
  const scratch = await Deno.makeTempDir({ dir: request.workDir, prefix: "pyfunc_model_" });
  try {
    const predictor = join(scratch, PREDICTOR_FILE);
    await run("deno bundle of the pyfunc predictor", deno, [
      "bundle",
      "--quiet",
      "--frozen",
      `--config=${join(PROJECT, "deno.json")}`,
      PREDICTOR_ENTRY,
      "--output",
      predictor,
    ]);
    const args = [
      LOG_SCRIPT,
      "--bundle",
      request.bundlePath,
      "--predictor",
      predictor,
      "--deno-version",
      await denoVersion(deno),
      "--run-id",
      request.run.runId,
      "--experiment-id",
      request.run.experimentId,
      "--name",
      request.name,
    ];
    if (request.metrics && Object.keys(request.metrics).length > 0) {
      const metrics = join(scratch, "metrics.json");
      await Deno.writeTextFile(metrics, JSON.stringify(request.metrics));
      args.push("--metrics", metrics);
    }
    const stdout = await run("logging the pyfunc model (log_model.py)", python, args, {
      // An environment's own setting wins: it may carry credentials the client keeps out
      // of its URI.
      MLFLOW_TRACKING_URI: Deno.env.get("MLFLOW_TRACKING_URI") ?? request.trackingUri,
      CRIME_DENO: Deno.env.get("CRIME_DENO") ?? deno,
      PYTHONPATH: dirname(LOG_SCRIPT),
    });
    const last = stdout.trim().split("\n").at(-1) ?? "";
    try {
      return LoggedModelSchema.parse(JSON.parse(last));
    } catch {
      throw new RegistryError(`log_model.py printed no logged model: "${last.slice(0, 200)}"`);
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

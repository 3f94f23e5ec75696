/**
 * Downloads the bundle of one registered model version (by number or by alias) from the
 * MLflow server named by `MLFLOW_TRACKING_URI`, checks it (shape and checksum) and
 * writes it where the image build bakes it in. Prints what it fetched; under GitHub
 * Actions it also writes `version`, `checksum` and `served-version` (what `/model/info`
 * will report for the embedded bundle) to `$GITHUB_OUTPUT`.
 *
 *     MLFLOW_TRACKING_URI=https://mlflow.example.com deno run --allow-net --allow-env \
 *       --allow-read --allow-write tools/deploy/fetch_bundle.ts \
 *       --name communities-crime --version 4 --output dist/deploy_bundle.json
 *
 * It never starts a local server: a deployment ships what the shared registry holds.
 *
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { BUNDLE_FILE } from "../../pipeline/bundle/bundle_artifact.ts";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import type { ModelVersion } from "../../pipeline/mlflow/registry_schemas.ts";
import { checksumVersion } from "../../serve/model/model_source.ts";

/** What {@linkcode fetchVersionBundle} wrote. */
export interface FetchedVersion {
  readonly name: string;
  /** The registry version number. */
  readonly version: string;
  readonly checksum: string;
  /** What the server reports as its version when it serves this bundle from a file or embedded. */
  readonly servedVersion: string;
}

/**
 * Writes the checked bundle of `name` at `version` (a number) or `alias` to `output`.
 * Throws naming the model and the version when there is no such version, it is not
 * READY, or its bundle fails its checks.
 *
 * @example
 * ```ts ignore
 * const fetched = await fetchVersionBundle(new MlflowClient(uri), {
 *   name: "communities-crime", version: "4", output: "dist/deploy_bundle.json",
 * });
 * ```
 */
export async function fetchVersionBundle(
  client: MlflowClient,
  request: { name: string; version?: string; alias?: string; output: string },
): Promise<FetchedVersion> {
  const { name } = request;
  const wanted = request.version !== undefined
    ? `${name} v${request.version}`
    : `${name}@${request.alias}`;
  let mv: ModelVersion | undefined;
  try {
    mv = request.version !== undefined
      ? await client.registry.getModelVersion(name, request.version)
      : await client.registry.getModelVersionByAlias(name, request.alias!);
  } catch (error) {
    throw new Error(`${wanted}: ${(error as Error).message}`);
  }
  if (!mv) throw new Error(`${wanted}: no such model version or alias in the registry`);
  if (mv.status !== "READY") throw new Error(`${wanted}: the version is ${mv.status}, not READY`);
  const bytes = await client.artifacts.download(mv.source, BUNDLE_FILE);
  const text = new TextDecoder().decode(bytes);
  const bundle = await openBundle(text, `${wanted} (${BUNDLE_FILE})`);
  await Deno.mkdir(dirname(request.output), { recursive: true });
  await Deno.writeTextFile(request.output, text);
  return {
    name,
    version: mv.version,
    checksum: bundle.checksum,
    servedVersion: checksumVersion(bundle),
  };
}

if (import.meta.main) {
  const usage = "usage: fetch_bundle.ts --name <model> (--version <n> | --alias <alias>) " +
    "--output <bundle.json>";
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        name: { type: "string", default: "communities-crime" },
        version: { type: "string" },
        alias: { type: "string" },
        output: { type: "string" },
      },
    });
    if ((values.version === undefined) === (values.alias === undefined) || !values.output) {
      throw new Error(`give --output and one of --version or --alias\n${usage}`);
    }
    if (values.version !== undefined && !/^[1-9][0-9]*$/.test(values.version)) {
      throw new Error(`--version is "${values.version}", not a registry version number`);
    }
    const uri = Deno.env.get("MLFLOW_TRACKING_URI");
    if (!uri) throw new Error("MLFLOW_TRACKING_URI is not set: name the registry to deploy from");
    const fetched = await fetchVersionBundle(new MlflowClient(uri), {
      name: values.name,
      version: values.version,
      alias: values.alias,
      output: values.output,
    });
    console.log(
      `${fetched.name} v${fetched.version}: bundle ${fetched.checksum} written to ` +
        `${values.output} (served as version ${fetched.servedVersion})`,
    );
    const outputs = Deno.env.get("GITHUB_OUTPUT");
    if (outputs) {
      await Deno.writeTextFile(
        outputs,
        `version=${fetched.version}\nchecksum=${fetched.checksum}\n` +
          `served-version=${fetched.servedVersion}\n`,
        { append: true },
      );
    }
  } catch (error) {
    console.error(`fetch-bundle: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

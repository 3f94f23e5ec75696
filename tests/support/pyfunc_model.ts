/**
 * A registered model version made as the register stage makes it: a finished training
 * run holding the bundle, the bundle logged as a `python_function` logged model, and a
 * version registered from that model, with `alias` pointing at it.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import type { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { logPyfuncModel } from "../../pipeline/registry/logged_model.ts";
import { registerBundle, type Registered } from "../../pipeline/registry/registration.ts";
import type { SplitPlan } from "../../pipeline/artefacts/split_plan.ts";
import type { TrainRun } from "../../pipeline/artefacts/train_run.ts";
import { trainRun } from "./registry_fixtures.ts";

/** The data set's folds: 1 to 9 for cross-validation, 10 held out. */
export const SPLIT: Pick<SplitPlan, "cvFolds" | "holdoutFold"> = {
  cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  holdoutFold: 10,
};

/** What {@linkcode registerPyfuncModel} made. */
export interface PyfuncVersion extends Registered {
  readonly run: TrainRun;
}

/**
 * Logs and registers `bundle` (read from `bundlePath`) as a new version of `name`.
 *
 * @example
 * ```ts ignore
 * const { version, loggedModel } = await registerPyfuncModel(server.client, {
 *   name: "crime-test",
 *   bundle,
 *   bundlePath: "examples/model_bundle.json",
 *   alias: "champion",
 * });
 * ```
 */
export async function registerPyfuncModel(
  client: MlflowClient,
  options: {
    readonly name: string;
    readonly bundle: ModelBundle;
    readonly bundlePath: string;
    readonly alias: string;
    readonly metrics?: Readonly<Record<string, number>>;
  },
): Promise<PyfuncVersion> {
  const { name, bundle, bundlePath } = options;
  const run = await trainRun(client, bundle, `${name}-training`);
  const registered = await registerBundle(client, {
    name,
    bundle,
    run,
    split: SPLIT,
    logModel: () =>
      logPyfuncModel({
        name,
        bundlePath,
        run,
        trackingUri: client.trackingUri,
        metrics: options.metrics,
      }),
  });
  await client.registry.setAlias(name, options.alias, registered.version.version);
  return { ...registered, run };
}

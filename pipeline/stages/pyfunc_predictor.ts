/**
 * The predictor process of the MLflow `python_function` model: loads the bundle named by
 * its one argument and answers prediction frames on stdin with frames on stdout (the
 * protocol of `pipeline/pyfunc/frames.ts`). The register stage packs this file with
 * `deno bundle` into one self-contained script stored in the model's artifacts; the
 * model's `load_context` runs that script with `deno run`.
 *
 * ```sh
 * deno run --allow-read=model_bundle.json pipeline/stages/pyfunc_predictor.ts model_bundle.json
 * ```
 *
 * @module
 */
import { openBundle } from "../bundle/bundle_io.ts";
import { createPredictor } from "../bundle/bundle_predictor.ts";
import { loadModel } from "../models/load_model.ts";
import { servePredictions } from "../pyfunc/predict_stream.ts";

async function main(): Promise<void> {
  const [path] = Deno.args;
  if (!path) {
    console.error("usage: pyfunc_predictor <model_bundle.json>");
    Deno.exit(2);
  }
  try {
    const bundle = await openBundle(await Deno.readTextFile(path), path);
    await servePredictions(createPredictor(bundle, loadModel), Deno.stdin, Deno.stdout);
  } catch (error) {
    // The Python side reads this line from stderr and raises it as the load error.
    console.error(`pyfunc predictor: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

if (import.meta.main) await main();

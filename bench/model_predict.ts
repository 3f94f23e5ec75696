/**
 * In-process prediction cost of a model bundle: one row at a time (a different row each
 * call, as a server sees them) and 1000 rows at once, for the whole bundle and for each
 * ensemble member; for boosted trees also the node-by-node walk the packed layout
 * replaces. The server's own costs (HTTP, JSON) are in `bench/serve_bench.ts`.
 *
 * Usage: `deno run -A bench/model_predict.ts [--bundle models/model_bundle.json]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { createPredictor } from "../pipeline/bundle/bundle_predictor.ts";
import { type Matrix, matrix, selectColumns } from "../pipeline/core/matrix.ts";
import { seededRandom } from "../pipeline/core/random.ts";
import { transform } from "../pipeline/features/preprocessor.ts";
import { ENSEMBLE, type EnsembleRegressor } from "../pipeline/models/ensemble/ensemble.ts";
import { forestFromState } from "../pipeline/models/gbm/gbm_state.ts";
import { predictForest } from "../pipeline/models/gbm/forest.ts";
import { GBM_FAMILY } from "../pipeline/models/gbm/mod.ts";
import { loadModel } from "../pipeline/models/load_model.ts";
import type { Regressor, SerializedModel } from "../pipeline/models/regressor.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { bundle: { type: "string", default: "models/model_bundle.json" } },
  strict: true,
});
const bundle = await openBundle(await Deno.readTextFile(values.bundle!), values.bundle!);
const predictor = createPredictor(bundle, loadModel);
const ROWS = 1000;

/** Uniform values on the data set's 0.01 grid, every contract feature present. */
function rawRows(rows: number): Matrix {
  const rng = seededRandom(7);
  const width = predictor.featureNames.length;
  return matrix(rows, width, Float64Array.from({ length: rows * width }, () => rng.int(101) / 100));
}

function row(x: Matrix, i: number): Matrix {
  return matrix(1, x.cols, x.data.subarray(i * x.cols, (i + 1) * x.cols));
}

/** Mean time per call in microseconds, after a warm-up that lets V8 optimise. */
function microseconds(call: (i: number) => unknown, calls: number): number {
  for (let i = 0; i < Math.min(calls, 5000); i++) call(i);
  const started = performance.now();
  for (let i = 0; i < calls; i++) call(i);
  return (performance.now() - started) * 1000 / calls;
}

function report(label: string, predict: (x: Matrix) => unknown, x: Matrix) {
  const single = microseconds((i) => predict(row(x, i % x.rows)), 20_000);
  const batch = microseconds(() => predict(x), 20) / 1000;
  console.log(
    `${label.padEnd(40)} ${single.toFixed(1).padStart(8)} µs ${batch.toFixed(1).padStart(9)} ms`,
  );
}

const raw = rawRows(ROWS);
const inputs = selectColumns(
  raw,
  bundle.preprocessor.inputFeatures.map((name) => predictor.featureNames.indexOf(name)),
);
const modelInputs = transform(bundle.preprocessor, inputs);

console.log(`model prediction: ${values.bundle} (${bundle.family}), ${ROWS} distinct rows`);
console.log(`${"".padEnd(40)} ${"1 row".padStart(11)} ${`${ROWS} rows`.padStart(12)}`);
report("bundle (contract row -> prediction)", (x) => predictor.predict(x), raw);
report("  preprocessing", (x) => transform(bundle.preprocessor, x), inputs);
const model = loadModel(bundle.model as SerializedModel);
const members: readonly Regressor[] = model.family === ENSEMBLE
  ? (model as EnsembleRegressor).members
  : [model];
const serialized = model.family === ENSEMBLE
  ? (bundle.model as { state: { members: SerializedModel[] } }).state.members
  : [bundle.model as SerializedModel];
members.forEach((member, m) => {
  report(`  ${member.family}`, (x) => member.predict(x), modelInputs);
  if (member.family === GBM_FAMILY) {
    const forest = forestFromState(serialized[m].state);
    report(`  ${member.family}, node-by-node walk`, (x) => predictForest(forest, x), modelInputs);
  }
});

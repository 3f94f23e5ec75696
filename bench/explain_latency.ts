/**
 * Latency of one row's explanation (`POST /explain`'s work, without HTTP), interleaved
 * call by call with plain prediction of the same row as the baseline: median and p99 of
 * each, their ratio, the same per ensemble member, and the largest local-accuracy error
 * |base + Σ contributions - prediction| seen. Rows are uniform on the data set's 0.01
 * grid, every feature present: each differs from the background rows in every feature,
 * the sampling explainer's most costly case.
 *
 * Usage: `deno run -A bench/explain_latency.ts [--bundle models/model_bundle.json] [--rows 2000]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { createExplainer } from "../pipeline/bundle/bundle_explainer.ts";
import { createPredictor } from "../pipeline/bundle/bundle_predictor.ts";
import { type Matrix, matrix, selectColumns } from "../pipeline/core/matrix.ts";
import { seededRandom } from "../pipeline/core/random.ts";
import { transform } from "../pipeline/features/preprocessor.ts";
import { explainerOf } from "../pipeline/models/contributions.ts";
import { ENSEMBLE, type EnsembleRegressor } from "../pipeline/models/ensemble/ensemble.ts";
import { loadModel } from "../pipeline/models/load_model.ts";
import type { Regressor, SerializedModel } from "../pipeline/models/regressor.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string", default: "models/model_bundle.json" },
    rows: { type: "string", default: "2000" },
  },
  strict: true,
});
const bundle = await openBundle(await Deno.readTextFile(values.bundle!), values.bundle!);
const predictor = createPredictor(bundle, loadModel);
const explainer = createExplainer(bundle, loadModel);
const ROWS = Number(values.rows);

const width = predictor.featureNames.length;
const rng = seededRandom(7);
const raw = matrix(
  ROWS,
  width,
  Float64Array.from({ length: ROWS * width }, () => rng.int(101) / 100),
);
const rowOf = (x: Matrix, i: number) => x.data.subarray(i * x.cols, (i + 1) * x.cols);

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Times `a` and `b` on every row in turn (a, b, a, b, ...) after a warm-up; µs per call. */
function interleaved(rows: number, a: (i: number) => unknown, b: (i: number) => unknown) {
  for (let i = 0; i < Math.min(rows, 200); i++) a(i), b(i);
  const ta = new Float64Array(rows), tb = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let t = performance.now();
    a(i);
    ta[i] = (performance.now() - t) * 1000;
    t = performance.now();
    b(i);
    tb[i] = (performance.now() - t) * 1000;
  }
  return [ta.sort(), tb.sort()] as const;
}

function line(label: string, predict: Float64Array, explain: Float64Array) {
  const f = (v: number) =>
    (v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} µs`)
      .padStart(10);
  const ratio = quantile(explain, 0.5) / quantile(predict, 0.5);
  console.log(
    `${label.padEnd(22)} predict ${f(quantile(predict, 0.5))} ${f(quantile(predict, 0.99))}` +
      `   explain ${f(quantile(explain, 0.5))} ${f(quantile(explain, 0.99))}   x${
        ratio.toFixed(0)
      }`,
  );
}

console.log(
  `explanation latency: ${values.bundle} (${bundle.family}), ${ROWS} distinct rows, one at a time`,
);
console.log(
  `${"".padEnd(22)} ${"median".padStart(18)} ${"p99".padStart(10)} ${"median".padStart(18)} ${
    "p99".padStart(10)
  }   ratio of medians`,
);
let worst = 0;
const [p, e] = interleaved(ROWS, (i) => predictor.predict(matrix(1, width, rowOf(raw, i))), (i) => {
  const { base, output, contributions } = explainer.explain(rowOf(raw, i));
  worst = Math.max(worst, Math.abs(contributions.reduce((s, v) => s + v, base) - output));
});
line("bundle (contract row)", p, e);

const inputs = selectColumns(
  raw,
  bundle.preprocessor.inputFeatures.map((name) => predictor.featureNames.indexOf(name)),
);
const modelInputs = transform(bundle.preprocessor, inputs);
const model = loadModel(bundle.model as SerializedModel);
const members: readonly Regressor[] = model.family === ENSEMBLE
  ? (model as EnsembleRegressor).members
  : [model];
const section = bundle.explanation!;
const data = {
  inputMean: section.inputMean,
  background: matrix(
    section.background.length,
    modelInputs.cols,
    Float64Array.from(section.background.flat()),
  ),
};
for (const member of members) {
  const explain = explainerOf(member, data);
  const one = matrix(1, modelInputs.cols);
  const [mp, me] = interleaved(Math.min(ROWS, 1000), (i) => {
    one.data.set(rowOf(modelInputs, i));
    return member.predict(one);
  }, (i) => explain(rowOf(modelInputs, i)));
  line(`  ${member.family}`, mp, me);
}
console.log(
  `largest |base + Σ contributions - prediction| over the rows: ${worst.toExponential(2)}`,
);

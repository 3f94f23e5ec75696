/**
 * Baselines and linear models under the data set's own 10-fold cross-validation: each
 * built-in fold (1..10) is predicted by models fitted on the other nine, and pooled
 * out-of-fold metrics are printed. Penalties are tuned by inner cross-validation over
 * the nine training folds only (their own fold ids are the inner folds).
 *
 * Two treatments of missing values are compared, both fitted on training folds only:
 * `drop` removes the 22 LEMAS police columns (84% missing) and imputes OtherPerCap with
 * the training median; `impute` keeps all 122 columns and imputes every one with its
 * training median, which makes LemasSwFTPerPop and PolicPerPop identical except on one
 * row (the rank-deficiency case OLS must survive).
 *
 * Usage: `deno run -A bench/linear_cv.ts [budgetMs=120000 per tuning run]`
 *
 * @module
 */
import { selectRows, selectValues } from "../pipeline/core/matrix.ts";
import { PreprocessParamsSchema } from "../pipeline/config/params_schema.ts";
import { featureNames, FOLD, parseCatalogue, TARGET } from "../pipeline/data/catalogue.ts";
import { fromRaw, getColumn, toMatrix } from "../pipeline/data/numeric_table.ts";
import { splitRecords, toTable } from "../pipeline/data/raw_data.ts";
import { regressionMetrics } from "../pipeline/core/statistics.ts";
import { foldSplits } from "../pipeline/folds/fold_split.ts";
import { planMissing } from "../pipeline/features/missing_plan.ts";
import { fitPreprocessor, transform } from "../pipeline/features/preprocessor.ts";
import { elasticNetEstimator } from "../pipeline/models/elastic_net/elastic_net.ts";
import { ElasticNetParamsSchema } from "../pipeline/models/elastic_net/elastic_net_model.ts";
import { lassoEstimator } from "../pipeline/models/lasso/lasso.ts";
import { LassoParamsSchema } from "../pipeline/models/lasso/lasso_model.ts";
import { meanEstimator } from "../pipeline/models/mean/mean_baseline.ts";
import { medianEstimator } from "../pipeline/models/median/median_baseline.ts";
import { olsEstimator } from "../pipeline/models/ols/ols.ts";
import type { Estimator } from "../pipeline/models/regressor.ts";
import { ridgeEstimator } from "../pipeline/models/ridge/ridge.ts";
import { RidgeParamsSchema } from "../pipeline/models/ridge/ridge_model.ts";
import { gridCandidates, logSpace } from "../pipeline/training/search_space.ts";
import { tune } from "../pipeline/training/tuning.ts";
import { PATHS } from "../pipeline/paths.ts";

const budgetMs = Number(Deno.args[0] ?? 120_000);
const SEED = 7;

interface Contender {
  readonly name: string;
  // deno-lint-ignore no-explicit-any
  readonly estimator: Estimator<any>;
  /** Candidates for inner-CV tuning; one candidate means no tuning. */
  readonly candidates: readonly Record<string, unknown>[];
}

const CONTENDERS: readonly Contender[] = [
  { name: "mean", estimator: meanEstimator, candidates: [{}] },
  { name: "median", estimator: medianEstimator, candidates: [{}] },
  { name: "ols", estimator: olsEstimator, candidates: [{}] },
  {
    name: "ridge",
    estimator: ridgeEstimator,
    candidates: gridCandidates(RidgeParamsSchema, { alpha: logSpace(1e-3, 1e3, 25) }),
  },
  {
    name: "lasso",
    estimator: lassoEstimator,
    candidates: gridCandidates(LassoParamsSchema, { alpha: logSpace(1e-4, 1e-1, 13) }),
  },
  {
    name: "elastic_net",
    estimator: elasticNetEstimator,
    candidates: gridCandidates(ElasticNetParamsSchema, {
      alpha: logSpace(1e-4, 1e-1, 7),
      l1Ratio: [0.1, 0.5, 0.9],
    }),
  },
];

const columns = parseCatalogue(await Deno.readTextFile(PATHS.rawNames));
const raw = toTable(splitRecords(await Deno.readTextFile(PATHS.rawData)), columns);
const allFeatures = featureNames(columns);
const table = fromRaw(raw, [...allFeatures, TARGET, FOLD]);
const y = getColumn(table, TARGET);
const folds = getColumn(table, FOLD);
const splits = foldSplits(folds, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

for (const strategy of ["drop", "impute"] as const) {
  const plan = planMissing(
    new Map(allFeatures.map((name) => [name, getColumn(table, name)])),
    PreprocessParamsSchema.parse({ missing_strategy: strategy }),
  );
  const features = plan.kept;
  const x = toMatrix(table, features);
  console.log(`\n== ${strategy}: ${features.length} features, budget ${budgetMs} ms per tuning`);
  const oof = CONTENDERS.map(() => new Float64Array(y.length));
  const chosen = CONTENDERS.map(() => [] as string[]);
  const seconds = CONTENDERS.map(() => 0);
  const largestCoefficient = CONTENDERS.map(() => 0);
  let overBudget = 0;
  for (const split of splits) {
    const pre = fitPreprocessor(
      { inputFeatures: features, indicators: [], interactions: [] },
      selectRows(x, split.train),
    );
    const xTrain = transform(pre, selectRows(x, split.train));
    const xTest = transform(pre, selectRows(x, split.test));
    const yTrain = selectValues(y, split.train);
    const groups = selectValues(folds, split.train);
    for (const [c, contender] of CONTENDERS.entries()) {
      const started = performance.now();
      let params = contender.candidates[0];
      if (contender.candidates.length > 1) {
        const result = await tune(xTrain, yTrain, {
          estimator: contender.estimator,
          candidates: contender.candidates,
          groups,
          seed: SEED,
          budgetMs,
        });
        params = result.best;
        if (result.stoppedEarly) overBudget++;
        chosen[c].push(
          Object.entries(params).filter(([k]) => k === "alpha" || k === "l1Ratio")
            .map(([k, v]) => `${k}=${Number(v).toPrecision(2)}`).join(","),
        );
      }
      const model = await contender.estimator.fit(xTrain, yTrain, params, SEED);
      const predicted = model.predict(xTest);
      split.test.forEach((row, k) => oof[c][row] = predicted[k]);
      seconds[c] += (performance.now() - started) / 1000;
      const coefficients = (model as { coefficients?: readonly number[] }).coefficients ?? [];
      for (const b of coefficients) {
        largestCoefficient[c] = Math.max(largestCoefficient[c], Math.abs(b));
      }
    }
  }
  console.log("model        RMSE    R²      MAE     MAPE(y>0)  max|β|     time");
  CONTENDERS.forEach((contender, c) => {
    const m = regressionMetrics(y, oof[c]);
    console.log(
      [
        contender.name.padEnd(12),
        m.rmse.toFixed(4),
        m.r2.toFixed(4).padStart(7),
        m.mae.toFixed(4),
        `${m.mape.value.toFixed(3)}`.padEnd(10),
        (largestCoefficient[c] > 0 ? largestCoefficient[c].toExponential(1) : "-").padEnd(10),
        `${seconds[c].toFixed(1)} s`,
      ].join(" "),
    );
  });
  const excluded = regressionMetrics(y, oof[0]).mape.excluded;
  console.log(`MAPE leaves out ${excluded} rows whose target is 0`);
  CONTENDERS.forEach((contender, c) => {
    if (chosen[c].length > 0) console.log(`${contender.name} per fold: ${chosen[c].join("  ")}`);
  });
  if (overBudget > 0) console.log(`${overBudget} tuning runs stopped at the time budget`);
}

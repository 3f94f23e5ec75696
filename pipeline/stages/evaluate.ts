/**
 * Stage `evaluate`: residual analysis of the selected model's out-of-fold predictions
 * (by state, by racial-composition band, by feature group), predicted vs. actual, and
 * permutation importance of the held-out-fold model on the held-out fold. Writes DVC
 * plots and an HTML report, and logs both to MLflow under the training run. As in
 * `train`, the tracking server is checked first, its run ends FAILED or KILLED if the
 * stage fails or is interrupted, and abandoned runs of vanished processes are marked FAILED.
 *
 * @module
 */
import { openBundle } from "../bundle/bundle_io.ts";
import { createPredictor } from "../bundle/bundle_predictor.ts";
import { loadParams } from "../config/load_params.ts";
import { selectValues } from "../core/matrix.ts";
import { FOLD, TARGET } from "../data/catalogue.ts";
import { loadRaw } from "../data/load_raw.ts";
import { holdoutRows } from "../folds/holdout_rows.ts";
import { getColumn } from "../data/numeric_table.ts";
import { readParquet } from "../data/parquet_io.ts";
import { permutationImportance } from "../evaluation/permutation_importance.ts";
import { analyseResiduals } from "../evaluation/residual_analysis.ts";
import { evaluationReport } from "../report/evaluation_report.ts";
import type { SplitPlan } from "../folds/fold_split.ts";
import { loadModel } from "../models/load_model.ts";
import { PATHS } from "../paths.ts";
import { runStage } from "./run_stage.ts";
import { exitOnSignal, failAbandonedRuns, StageRuns } from "./stage_runs.ts";
import { trackingClient, type TrainRun } from "./tracking_client.ts";
import { readJson, writeJson } from "./write_json.ts";

function csv(header: string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
}

async function main(): Promise<void> {
  const params = await loadParams("evaluate");
  const split = await readJson<SplitPlan>(PATHS.split);
  const run = await readJson<TrainRun>(PATHS.trainRun);
  const client = await trackingClient();
  const runs = new StageRuns(client);
  exitOnSignal("evaluate", (signal) => runs.endOpen("KILLED", `interrupted by ${signal}`));
  for (const abandoned of await failAbandonedRuns(client, [run.experimentId])) {
    console.error(
      `evaluate: marked run ${abandoned.runName || abandoned.runId} FAILED: its process is gone`,
    );
  }
  const table = readParquet(PATHS.cleanData);
  const { table: raw } = await loadRaw();
  const oof = (await Deno.readTextFile(PATHS.oofPredictions)).trim().split("\n").slice(1)
    .map((line) => line.split(",").map(Number));
  const rows = Int32Array.from(oof, (r) => r[0]);
  const actual = Float64Array.from(oof, (r) => r[2]);
  const predicted = Float64Array.from(oof, (r) => r[3]);
  const states = selectValues(raw.numbers.get("state")!, rows);
  const columns = new Map(table.names.map((n) => [n, selectValues(getColumn(table, n), rows)]));
  const analysis = analyseResiduals(actual, predicted, states, columns);

  const holdout = await openBundle(
    await Deno.readTextFile(PATHS.holdoutBundle),
    PATHS.holdoutBundle,
  );
  const predictor = createPredictor(holdout, loadModel);
  const folds = getColumn(table, FOLD);
  const holdoutIndices = Int32Array.from(folds.keys()).filter((i) =>
    folds[i] === split.holdoutFold
  );
  const xHoldout = holdoutRows(table, predictor.featureNames, split.holdoutFold);
  const used = holdout.preprocessor.inputFeatures;
  const importance = permutationImportance(
    (m) => predictor.predict(m),
    xHoldout,
    selectValues(getColumn(table, TARGET), holdoutIndices),
    predictor.featureNames,
    params.permutation_repeats,
    42,
  ).filter((imp) => used.includes(imp.feature));

  const top = importance.slice(0, params.top_features);
  const fixed = (v: number) => v.toFixed(6);
  const plots: Record<string, [string[], (string | number)[][]]> = {
    "predictions.csv": [
      ["row", "actual", "predicted", "residual"],
      Array.from(
        rows,
        (r, i) => [r, actual[i], fixed(predicted[i]), fixed(actual[i] - predicted[i])],
      ),
    ],
    "error_by_state.csv": [
      ["state", "count", "rmse", "mean_residual"],
      analysis.byState.map((g) => [g.group, g.count, fixed(g.rmse), fixed(g.meanResidual)]),
    ],
    "error_by_racial_band.csv": [
      ["band", "count", "rmse", "mean_residual"],
      analysis.byRacialBand.map((g) => [
        `${g.feature}:${g.group}`,
        g.count,
        fixed(g.rmse),
        fixed(g.meanResidual),
      ]),
    ],
    "residual_correlation_by_group.csv": [
      ["group", "feature", "correlation"],
      analysis.byFeatureGroup.map((g) => [g.group, g.feature, fixed(g.correlation)]),
    ],
    "importance.csv": [
      ["feature", "importance", "std"],
      top.map((t) => [t.feature, fixed(t.importance), fixed(t.std)]),
    ],
  };
  await Deno.mkdir("reports/plots", { recursive: true });
  for (const [name, [header, lines]] of Object.entries(plots)) {
    await Deno.writeTextFile(`reports/plots/${name}`, csv(header, lines));
  }
  const worstState = analysis.byState.filter((g) => g.count >= 10)
    .reduce((a, b) => (b.rmse > a.rmse ? b : a));
  const bandRmse = analysis.byRacialBand.map((g) => g.rmse);
  const metrics = {
    worst_state: worstState.group,
    worst_state_rmse: worstState.rmse,
    racial_band_rmse_max: Math.max(...bandRmse),
    racial_band_rmse_min: Math.min(...bandRmse),
    top_feature: top[0]?.feature ?? "",
    top_feature_importance: top[0]?.importance ?? 0,
  };
  await writeJson("reports/evaluation.json", { ...metrics, analysis, importance: top });
  const html = evaluationReport({ actual, predicted, analysis, importance: top });
  await Deno.writeTextFile("reports/evaluation.html", html);

  const child = await runs.createRun({
    experimentId: run.experimentId,
    runName: "evaluate",
    parentRunId: run.runId,
  });
  try {
    await client.tracking.logBatch(child.info.run_id, {
      metrics: Object.entries(metrics).filter(([, v]) => typeof v === "number")
        .map(([key, value]) => ({ key, value: value as number, step: 0 })),
      params: { worst_state: metrics.worst_state, top_feature: metrics.top_feature },
    });
    for (const file of ["evaluation.html", "evaluation.json"]) {
      await client.artifacts.uploadFile(run.artifactUri, `evaluation/${file}`, `reports/${file}`);
    }
    for (const entry of Deno.readDirSync("reports/plots")) {
      await client.artifacts.uploadFile(
        run.artifactUri,
        `evaluation/plots/${entry.name}`,
        `reports/plots/${entry.name}`,
      );
    }
    await runs.terminateRun(child.info.run_id);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await runs.endOpen("FAILED", reason.slice(0, 1000)).catch(() => {});
    throw error;
  }
  console.log(
    `evaluate: worst state ${metrics.worst_state} rmse ${worstState.rmse.toFixed(4)}; ` +
      `top feature ${metrics.top_feature}; report reports/evaluation.html`,
  );
}

if (import.meta.main) await runStage("evaluate", main);

/**
 * The model card of a registered version, as Markdown: intended and out-of-scope use,
 * the data and its gaps, metrics with their spread across folds, errors by state and by
 * racial composition, and the limitations and ethical concerns of predicting crime from
 * demographics. Written to `reports/model_card.md`, uploaded next to the bundle and set
 * as the version's description.
 *
 * @module
 */
import type { CvCandidates } from "../artefacts/cv_candidates.ts";
import type { CvMetrics } from "../artefacts/cv_metrics.ts";
import type { EvaluationAnalysis } from "../artefacts/evaluation_analysis.ts";
import type { EvaluationSummary as EvaluationFile } from "../artefacts/evaluation_summary.ts";
import type { FairnessReport } from "../artefacts/fairness_report.ts";
import type { IntervalReport } from "../artefacts/interval_report.ts";
import type { PythonAnchors } from "../artefacts/python_anchors.ts";
import type { ModelBundle } from "../bundle/bundle_schema.ts";
import { comparisonTable } from "../report/candidate_comparison.ts";
import { stateName } from "../data/us_states.ts";
import { fairnessSection, intervalSection, markdownTable as table } from "./card_trade_offs.ts";

/** The parts of `reports/evaluation.json` and `reports/evaluation_analysis.json` the card shows. */
export interface EvaluationSummary extends Pick<EvaluationFile, "worst_state"> {
  readonly analysis: Pick<EvaluationAnalysis["analysis"], "byState" | "byRacialBand">;
}

/** The parts of `reports/cv_metrics.json` and `reports/cv_candidates.json` the card shows. */
export interface CvSummary extends CvCandidates {
  readonly selected: Pick<CvMetrics["selected"], "name" | "holdout_rmse">;
}

/** What the card describes. */
export interface ModelCardInputs {
  readonly name: string;
  readonly version: string;
  readonly bundle: ModelBundle;
  readonly cv: CvSummary;
  readonly evaluation: EvaluationSummary;
  /** The measured interval coverage (`reports/intervals.json`), when there is one. */
  readonly intervals?: IntervalReport;
  /** Python reference figures on the same folds (`reports/python_anchors.json`), when present. */
  readonly anchors?: PythonAnchors;
  /** The comparison without the sensitive features (`reports/fairness.json`), when run. */
  readonly fairness?: FairnessReport;
  /** States with fewer held-out communities are left out of the state table. */
  readonly minStateRows?: number;
  /** How many of the worst states to list. */
  readonly topStates?: number;
}

const num = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(4));

function metricsSection(bundle: ModelBundle, cv: CvSummary, anchors?: PythonAnchors): string {
  const m = bundle.metrics;
  const { protocol } = cv;
  const dev = `folds ${protocol.development_folds.join(",")}`;
  const all = `${protocol.cv_folds.length} folds`;
  const headline = table(["metric", "protocol", "value"], [
    ["RMSE (pooled out-of-fold)", `final configuration, ${all}`, num(m.cv_rmse)],
    ["MAE", `final configuration, ${all}`, num(m.cv_mae)],
    ["R²", `final configuration, ${all}`, num(m.cv_r2)],
    ["MAPE (rows with a non-zero target)", `final configuration, ${all}`, num(m.cv_mape)],
    ["fold RMSE standard deviation", `final configuration, ${all}`, num(m.cv_fold_rmse_std)],
    ["worst fold RMSE", `final configuration, ${all}`, num(m.cv_fold_rmse_max)],
    ["RMSE (pooled out-of-fold)", `selection, ${dev}`, num(m.dev_cv_rmse)],
    ["R²", `selection, ${dev}`, num(m.dev_cv_r2)],
    ["RMSE", `held-out fold ${protocol.holdout_fold}, fit on ${dev}`, num(m.holdout_rmse)],
    ["R²", `held-out fold ${protocol.holdout_fold}, fit on ${dev}`, num(m.holdout_r2)],
  ]);
  const comparison = comparisonTable(cv, cv, anchors);
  return `## Metrics

Every choice (family, ensemble members and weights, hyper-parameters by inner CV inside
each training set) is made on the development folds (${dev}); the held-out fold
${protocol.holdout_fold} takes no part and is scored once by the configuration refitted on
the development folds. The pooled out-of-fold figures over all ${all} refit the chosen
configuration without each fold in turn (the ensemble keeps the weights learned on the
development folds). The served model is fitted on all ${all}. The target is normalised to
0-1, so an RMSE of 0.13 is 13% of the observed range.

${headline}

Candidates compared (lower RMSE is better):

${table(comparison.header, comparison.rows)}

${comparison.notes.map((n) => `- ${n}`).join("\n")}`;
}

function groupSection(inputs: ModelCardInputs): string {
  const { analysis } = inputs.evaluation;
  const minRows = inputs.minStateRows ?? 10;
  const states = analysis.byState.filter((g) => g.count >= minRows)
    .toSorted((a, b) => b.rmse - a.rmse)
    .slice(0, inputs.topStates ?? 8)
    .map((g) => [stateName(g.group), String(g.count), num(g.rmse), num(g.meanResidual)]);
  const bands = analysis.byRacialBand.map((g) => [
    g.feature,
    g.group,
    String(g.count),
    num(g.rmse),
    num(g.meanResidual),
  ]);
  return `## Errors by group

Out-of-fold errors; a positive mean residual means the model under-predicts the group.

Worst states with at least ${minRows} communities (worst overall: ${inputs.evaluation.worst_state}):

${table(["state", "communities", "RMSE", "mean residual"], states)}

By quartile (q1 lowest, q4 highest) of each racial-composition feature:

${table(["feature", "quartile", "communities", "RMSE", "mean residual"], bands)}`;
}

/**
 * Renders the model card.
 *
 * @example The pipeline's own outputs (after `dvc repro`; `tests/registry/model_card_test.ts`
 * runs it on a small bundle)
 * ```ts ignore
 * import { CV_CANDIDATES } from "../artefacts/cv_candidates.ts";
 * import { CV_METRICS } from "../artefacts/cv_metrics.ts";
 * import { EVALUATION_ANALYSIS } from "../artefacts/evaluation_analysis.ts";
 * import { EVALUATION_SUMMARY } from "../artefacts/evaluation_summary.ts";
 * import { MODEL_BUNDLE_PATH, readBundleFile } from "../artefacts/model_bundles.ts";
 *
 * const markdown = modelCard({
 *   name: "communities-crime",
 *   version: "3",
 *   bundle: await readBundleFile(MODEL_BUNDLE_PATH),
 *   cv: { ...await CV_METRICS.read(), ...await CV_CANDIDATES.read() },
 *   evaluation: { ...await EVALUATION_SUMMARY.read(), ...await EVALUATION_ANALYSIS.read() },
 * });
 * ```
 */
export function modelCard(inputs: ModelCardInputs): string {
  const { bundle } = inputs;
  const p = bundle.provenance;
  return `# Model card: ${inputs.name} version ${inputs.version}

- Model family: ${bundle.family}; target: \`${bundle.target}\`; ${bundle.features.length} input features
  (${bundle.preprocessor.inputFeatures.length} used after preprocessing${
    bundle.groupOffsets
      ? `, and \`${bundle.groupOffsets.feature}\` for an offset per level, ` +
        `${bundle.groupOffsets.levels.length} of them`
      : ""
  }).
- Trained ${p.trainedAt} on ${p.trainingRows} communities; commit \`${p.gitCommit}\`, data
  SHA-256 \`${p.dataHash.slice(0, 16)}…\`, params SHA-256 \`${p.paramsHash.slice(0, 16)}…\`,
  MLflow run \`${p.mlflowRunId ?? "n/a"}\`.

## Intended use

Research and teaching: studying how the socio-economic and law-enforcement
characteristics of US communities in the 1990s relate to their reported violent crime
rate, and comparing modelling and fairness-analysis methods on a known benchmark.

## Out-of-scope use

- Any decision about an individual person, household or neighbourhood.
- Allocating police, patrols, surveillance, funding or insurance between communities.
- Predicting crime today: the data describe 1990 (census) and 1995 (crime) only.
- Any use where the predictions are read as the true amount of crime in a place.

## Data

UCI Machine Learning Repository, Communities and Crime (Redmond, M. (2002). Communities
and Crime [Dataset]. UCI Machine Learning Repository, <https://doi.org/10.24432/C53W3X>),
licensed under Creative Commons Attribution 4.0 (CC BY 4.0). It combines the 1990 US
census, the 1990 LEMAS police survey and the 1995 FBI Uniform Crime Reports for 1994
communities; every value is normalised to 0-1.

Known gaps:

- Communities are missing by construction: the source omitted those whose crime figures
  were incomplete or judged unreliable (several states' figures are absent entirely),
  so the sample is not representative of all US communities.
- The 22 LEMAS police columns are missing for about 84% of communities (only larger
  police departments were surveyed); \`county\` and \`community\` codes are missing for
  about 59%.
- The normalisation hides absolute magnitudes, and clipping at 1 hides extremes.

${metricsSection(bundle, inputs.cv, inputs.anchors)}

${groupSection(inputs)}

${intervalSection(inputs.intervals)}

${fairnessSection(inputs.fairness)}

## Limitations and ethical considerations

- The target is reported crime (crimes known to police per 100K people), not crime:
  it reflects policing intensity and reporting practices as much as offending.
- This data set is a standard fairness benchmark because its features include racial
  composition, and the target correlates strongly with it. The model learns these
  associations; predictions can encode historical patterns of enforcement and
  disadvantage, and the error differs between racial-composition quartiles (above).
- Associations are not causes: no feature should be read as causing crime.
- Errors are large relative to the spread of the target (see the metrics) and vary by
  state; a prediction for one community is uncertain.
- The cross-validation folds are random, not geographic or temporal, so the scores are
  optimistic for states or years unlike the training data.
`;
}

/**
 * The card as a version description: whole when it fits MLflow's 5000-character limit,
 * otherwise cut at a section boundary with a pointer to the full card.
 */
export function cardDescription(card: string, fullCardPath: string, limit = 5000): string {
  if (card.length <= limit) return card;
  const note = `\n\n(Shortened; the full card is the run artifact \`${fullCardPath}\`.)\n`;
  const head = card.slice(0, limit - note.length);
  const cut = head.lastIndexOf("\n## ");
  return (cut > 0 ? head.slice(0, cut) : head) + note;
}

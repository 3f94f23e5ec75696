/**
 * Stage `validate`: checks the raw data against the catalogue and the expectations in
 * params, writes the report and summary, and fails the pipeline on any failed check.
 *
 * @module
 */
import { loadParams } from "../config/load_params.ts";
import { parseCatalogue } from "../data/catalogue.ts";
import { summarize, validateDataset } from "../data/validate_dataset.ts";
import { PATHS } from "../paths.ts";
import { runStage, StageError } from "../stage_support/run_stage.ts";
import { writeJsonFile } from "../artefacts/json_artefact.ts";

async function main(): Promise<void> {
  const params = await loadParams("validate");
  const columns = parseCatalogue(await Deno.readTextFile(PATHS.rawNames));
  const report = validateDataset(await Deno.readTextFile(PATHS.rawData), columns, params);
  const { results: _, ...metrics } = report;
  await writeJsonFile(PATHS.validationReport, metrics);
  await Deno.writeTextFile(PATHS.validationSummary, summarize(report));
  if (!report.passed) {
    throw new StageError(
      `${PATHS.rawData}: ${report.failed} check(s) failed:\n` +
        report.failures.map((f) => `  ${f.column}: ${f.rule}: ${f.message}`).join("\n"),
    );
  }
  console.log(`validate: ${report.checks} checks passed on ${report.rows} rows`);
}

if (import.meta.main) await runStage("validate", main);

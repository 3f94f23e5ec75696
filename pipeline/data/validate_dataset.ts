/**
 * Runs every validation rule over the raw data text and gathers a report.
 *
 * @module
 */
import type { ValidateParams } from "../config/params_schema.ts";
import type { ColumnInfo } from "./catalogue.ts";
import { splitRecords, toTable } from "./raw_data.ts";
import {
  checkDuplicates,
  checkFolds,
  checkMissingRates,
  checkRanges,
  type CheckResult,
  checkShape,
  checkTarget,
  checkTypes,
} from "./validation_rules.ts";

/** The machine-readable outcome of validation. */
export interface ValidationReport {
  readonly passed: boolean;
  readonly rows: number;
  readonly columns: number;
  readonly checks: number;
  readonly failed: number;
  readonly failures: readonly CheckResult[];
  readonly results: readonly CheckResult[];
}

/**
 * Validates raw data text against the catalogue. Shape problems stop the column checks,
 * since misaligned fields would make every later message misleading.
 */
export function validateDataset(
  text: string,
  columns: readonly ColumnInfo[],
  params: ValidateParams,
): ValidationReport {
  const records = splitRecords(text);
  const results: CheckResult[] = checkShape(records, columns.length);
  if (results.every((r) => r.passed)) {
    const table = toTable(records, columns);
    results.push(
      ...checkTypes(table),
      ...checkRanges(table),
      ...checkMissingRates(table, params),
      ...checkTarget(table),
      ...checkFolds(table),
      ...checkDuplicates(records, params.max_duplicate_rows),
    );
  }
  const failures = results.filter((r) => !r.passed);
  return {
    passed: failures.length === 0,
    rows: records.fields.length,
    columns: columns.length,
    checks: results.length,
    failed: failures.length,
    failures,
    results,
  };
}

/** A short readable summary: the counts, then one line per failed check. */
export function summarize(report: ValidationReport): string {
  const head = `# Data validation\n\n${report.rows} rows, ${report.columns} columns: ${
    report.checks - report.failed
  } of ${report.checks} checks passed.\n`;
  if (report.passed) return head;
  const lines = report.failures.map((f) => `- ${f.column}: ${f.rule}: ${f.message}`);
  return `${head}\nFailed checks:\n${lines.join("\n")}\n`;
}

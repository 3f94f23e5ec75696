/**
 * The global contribution summary: mean absolute contributions per feature, ranks with
 * ties averaged, the rank correlation with permutation importance and the shared top
 * features, and the largest local-accuracy error it saw.
 */
import assert from "node:assert/strict";
import { fromRows } from "../../pipeline/core/matrix.ts";
import { contributionSummary } from "../../pipeline/report/contribution_summary.ts";
import { ContributionSummarySchema } from "../../pipeline/artefacts/contribution_summary.ts";

const names = ["a", "b", "c", "unused"];
// Contributions of row r: a = 3r, b = -2r, c = r (in absolute terms a > b > c).
const explain = (row: Float64Array) => ({
  base: 1,
  output: 1 + 2 * row[0] + 1e-12,
  contributions: [3 * row[0], -2 * row[0], row[0], 0],
});
const x = fromRows([[1, 0, 0, 0], [-1, 0, 0, 0], [2, 0, 0, 0]]);
const imp = (feature: string, importance: number) => ({ feature, importance, std: 0 });

Deno.test("mean |contribution| per used feature, ranked, with the local-accuracy error seen", () => {
  const summary = contributionSummary(
    explain,
    x,
    names,
    [imp("a", 3), imp("b", 2), imp("c", 1)],
    ["a", "b", "c"],
    2,
  );
  assert.deepEqual(
    summary.features.map((f) => [f.feature, f.meanAbsContribution, f.contributionRank]),
    [["a", 4, 1], ["b", 8 / 3, 2], ["c", 4 / 3, 3]],
  );
  assert.equal(summary.rows, 3);
  assert.equal(summary.spearman, 1);
  assert.deepEqual(summary.topShared, { top: 2, shared: 2 });
  assert.ok(summary.maxLocalAccuracyError > 5e-13 && summary.maxLocalAccuracyError < 2e-12);
  ContributionSummarySchema.parse(summary);
});

Deno.test("reversed rankings correlate -1; ties share their average rank; unlisted importance counts 0", () => {
  const reversed = contributionSummary(
    explain,
    x,
    names,
    [imp("a", 1), imp("b", 2), imp("c", 3)],
    ["a", "b", "c"],
    1,
  );
  assert.ok(Math.abs(reversed.spearman + 1) < 1e-12);
  assert.deepEqual(reversed.topShared, { top: 1, shared: 0 });
  const tied = contributionSummary(explain, x, names, [imp("a", 1)], ["a", "b", "c"], 3);
  assert.deepEqual(tied.features.map((f) => f.permutationRank), [1, 2.5, 2.5]);
});

import assert from "node:assert/strict";
import { cardDescription, modelCard } from "../../pipeline/registry/model_card.ts";
import { testBundle } from "../support/test_bundle.ts";

const group = (name: string, count: number, rmse: number) => ({
  group: name,
  count,
  rmse,
  meanResidual: 0.01,
  meanActual: 0.2,
});

Deno.test("the model card documents use, data, metrics, group errors and ethics", async () => {
  const bundle = await testBundle({ metrics: { cv_rmse: 0.131, cv_fold_rmse_std: 0.012 } });
  const card = modelCard({
    name: "communities-crime",
    version: "4",
    bundle,
    cv: {
      selected: { name: "ridge" },
      candidates: { ridge: { rmse: 0.131 }, mean: { rmse: 0.23 } },
    },
    evaluation: {
      worst_state: "California",
      analysis: {
        byState: [group("6", 50, 0.2), group("1", 3, 0.9)],
        byRacialBand: [{ ...group("q4", 100, 0.18), feature: "racepctblack" }],
      },
    },
  });
  assert.match(card, /^# Model card: communities-crime version 4/);
  for (
    const heading of ["Intended use", "Out-of-scope use", "Data", "Metrics", "Errors by group"]
  ) {
    assert.match(card, new RegExp(`^## ${heading}$`, "m"));
  }
  assert.match(card, /CC BY 4\.0/);
  assert.match(card, /doi\.org\/10\.24432\/C53W3X/);
  assert.match(card, /84%/);
  assert.match(card, /reported crime/);
  assert.match(card, /\| fold RMSE standard deviation \| 0\.0120 \|/);
  assert.match(card, /\| \*\*ridge\*\* \(selected\) \| 0\.1310 \|/);
  assert.match(card, /\| racepctblack \| q4 \| 100 \| 0\.1800 \|/);
  assert.match(card, /\| California \| 50 \| 0\.2000 \|/, "states by name, not FIPS code");
  assert.doesNotMatch(card, /\| Alabama \| 3 \|/, "states below the row minimum are left out");
});

Deno.test("a card too long for a version description is cut at a section", () => {
  const card = `# Card\n\n## A\n${"a".repeat(60)}\n\n## B\n${"b".repeat(200)}\n`;
  assert.equal(cardDescription(card, "model/model_card.md", 1000), card);
  const short = cardDescription(card, "model/model_card.md", 170);
  assert.ok(short.length <= 170);
  assert.match(short, /## A/);
  assert.doesNotMatch(short, /## B/);
  assert.match(short, /model\/model_card\.md/);
});

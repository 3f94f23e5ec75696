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
      selected: { name: "ridge", holdout_rmse: 0.128 },
      protocol: {
        development_folds: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        holdout_fold: 10,
        cv_folds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      },
      ensemble_members: [],
      ensemble_weights: [],
      ensemble_method: "nnls",
      candidates: { ridge: { rmse: 0.132, r2: 0.67 }, mean: { rmse: 0.23, r2: 0 } },
      final: { name: "ridge", summary: { rmse: 0.131, r2: 0.68 } },
    },
    anchors: {
      anchors: [{
        name: "ridge + xgboost",
        pooled_oof_rmse: 0.1317,
        r2: 0.68,
        holdout_rmse: 0.129,
      }],
      command: "python anchors.py",
      versions: { "scikit-learn": "1.7.2" },
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
  // Every figure names its protocol; the anchors sit beside the candidates.
  assert.match(card, /\| RMSE \(pooled out-of-fold\) \| selection, folds 1,2,3,4,5,6,7,8,9 \|/);
  assert.match(
    card,
    /\| ridge \(selected\) \| 0\.1320 \| 0\.6700 \| 0\.1310 \| 0\.6800 \| 0\.1280 \|/,
  );
  assert.match(card, /\| ridge \+ xgboost \(Python anchor\) \| {2}\| {2}\| 0\.1317 \|/);
  for (
    const heading of ["Intended use", "Out-of-scope use", "Data", "Metrics", "Errors by group"]
  ) {
    assert.match(card, new RegExp(`^## ${heading}$`, "m"));
  }
  assert.match(card, /CC BY 4\.0/);
  assert.match(card, /doi\.org\/10\.24432\/C53W3X/);
  assert.match(card, /84%/);
  assert.match(card, /reported crime/);
  assert.match(
    card,
    /\| fold RMSE standard deviation \| final configuration, 10 folds \| 0\.0120 \|/,
  );
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

import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { parseParams } from "../../pipeline/config/load_params.ts";

const text = await Deno.readTextFile("config/params.yaml");

function mutate(change: (raw: Record<string, Record<string, unknown>>) => void): string {
  const raw = parse(text);
  change(raw);
  return stringify(raw);
}

Deno.test("the shipped params file is valid", () => {
  const params = parseParams(text, "config/params.yaml");
  assert.equal(params.split.holdout_fold, 10);
  assert.equal(params.preprocess.missing_strategy, "impute");
});

Deno.test("a misspelt key is named with its path", () => {
  const bad = mutate((raw) => {
    raw.preprocess.missing_stratgy = "drop";
  });
  assert.throws(
    () => parseParams(bad, "config/params.yaml"),
    /config\/params.yaml: unknown key preprocess.missing_stratgy/,
  );
});

Deno.test("a value out of range names the key and what was expected", () => {
  const bad = mutate((raw) => {
    raw.features.correlation_threshold = 1.5;
  });
  assert.throws(() => parseParams(bad, "p.yaml"), /p.yaml: features.correlation_threshold: .*<=1/);
  const badEnum = mutate((raw) => {
    raw.preprocess.missing_strategy = "mean";
  });
  assert.throws(() => parseParams(badEnum, "p.yaml"), /preprocess.missing_strategy: .*"drop"/);
});

Deno.test("the register section is checked with the rest of the file", () => {
  const typo = mutate((raw) => {
    (raw.register.gates as Record<string, unknown>).max_cv_rmes = 0.2;
  });
  assert.throws(() => parseParams(typo, "p.yaml"), /unknown key register.gates.max_cv_rmes/);
  const inverted = mutate((raw) => {
    (raw.register.gates as Record<string, unknown>).prediction_range = [1, 0];
  });
  assert.throws(() => parseParams(inverted, "p.yaml"), /lower bound must be below the upper/);
  const absent = mutate((raw) => {
    delete raw.register;
  });
  assert.equal(parseParams(absent, "p.yaml").register.model_name, "communities-crime");
});

Deno.test("invalid YAML is reported as such", () => {
  assert.throws(() => parseParams("a: [1, 2", "p.yaml"), /p.yaml: not valid YAML/);
});

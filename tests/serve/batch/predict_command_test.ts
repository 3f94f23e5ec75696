/**
 * `predict` on real files: rows of the UCI data set (with their identifier, fold and
 * target columns) and the bad rows a file meets in practice, in CSV and Parquet, through
 * the command itself and through `serve/main.ts predict` as a process; a registry model
 * through a real MLflow server; a model with state offsets, whose `state` column is both an
 * input and an identifier.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { featureNames, parseCatalogue } from "../../../pipeline/data/catalogue.ts";
import { BATCH_EXIT } from "../../../serve/batch/batch_exit.ts";
import { predictCommand } from "../../../serve/batch/predict_command.ts";
import { fileSource } from "../../../serve/model/model_source_file.ts";
import { createServedModel } from "../../../serve/model/served_model.ts";
import { cellValue } from "../../../serve/contract/cell_value.ts";
import { BUNDLE_FILE, MODEL_ARTIFACT_DIR } from "../../../pipeline/bundle/bundle_artifact.ts";
import { joinArtifactPath } from "../../../pipeline/mlflow/client.ts";
import { startTestServer } from "../../support/mlflow_server.ts";
import { testBundle, writeBundle } from "../../support/test_bundle.ts";

const BUNDLE = "examples/model_bundle.json";
const namesText = await Deno.readTextFile("data/raw/communities.names");
const columns = parseCatalogue(namesText).map((c) => c.name);
const realLines = (await Deno.readTextFile("data/raw/communities.data")).trim().split("\n")
  .slice(0, 30);
const model = createServedModel((await fileSource(BUNDLE).fetch())!, { maxBatchRows: 10 });
const at = (name: string) => columns.indexOf(name);

/** A real line with one field replaced. */
function withField(line: string, name: string, value: string): string {
  const fields = line.split(",");
  fields[at(name)] = value;
  return fields.join(",");
}

/** The prediction `/predict` gives for a real line. */
function expected(line: string): number {
  const fields = line.split(",");
  const row = Object.fromEntries(
    featureNames(parseCatalogue(namesText)).map((name) => [name, cellValue(fields[at(name)])]),
  );
  return model.predictRow(row)![0];
}

const dir = await Deno.makeTempDir();
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const csv = (name: string, lines: string[]) => {
  const path = join(dir, name);
  Deno.writeTextFileSync(path, `${lines.join("\n")}\n`);
  return path;
};

// Lines 1 (header), 2-4 good, 5 out of range, 6-7 good, 8 wrong type, 9 malformed CSV,
// 10 a field short, then the rest good.
const good = realLines;
const bad = [
  withField(good[3], "population", "3"),
  withField(good[6], "medIncome", "high"),
  withField(good[7], "communityname", 'Lake"wood'),
  good[8].split(",").slice(0, -1).join(","),
];
const mixed = [
  columns.join(","),
  ...good.slice(0, 3),
  bad[0],
  ...good.slice(4, 6),
  bad[1],
  bad[2],
  bad[3],
  ...good.slice(9),
];
const mixedPath = csv("mixed.csv", mixed);
const goodCount = 3 + 2 + good.slice(9).length;

async function run(args: string[]) {
  let stderr = "";
  const status = await predictCommand(args, {
    stderr: (text) => stderr += text,
    stderrIsTerminal: false,
    env: {},
  });
  return { status, stderr };
}

async function exists(path: string) {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("skip mode: the bad rows are reported with line and rule, the others scored in order", async () => {
  const out = join(dir, "skip.csv");
  const { status, stderr } = await run([
    "--model",
    BUNDLE,
    "--input",
    mixedPath,
    "--output",
    out,
    "--on-error",
    "skip",
  ]);
  assert.equal(status, BATCH_EXIT.ok, stderr);
  assert.match(stderr, /line 5: \$\.population \(maximum\): must be <= 1, got 3/);
  assert.match(stderr, /line 8: \$\.medIncome \(type\): must be a number, got string "high"/);
  assert.match(stderr, /line 9: \$ \(malformed\): field 4: a quote inside an unquoted field/);
  assert.match(stderr, /line 10: \$ \(malformed\): 127 fields where the header has 128/);
  assert.match(stderr, /ignoring 2 column\(s\) .*: fold, ViolentCrimesPerPop/);
  assert.match(stderr, new RegExp(`scored ${goodCount} rows .*skipped 4 bad rows`));
  const lines = (await Deno.readTextFile(out)).trim().split("\n");
  assert.equal(
    lines[0],
    "state,county,community,communityname,prediction,model_name,model_version",
  );
  const scored = [...good.slice(0, 3), ...good.slice(4, 6), ...good.slice(9)];
  assert.equal(lines.length - 1, scored.length);
  const { name, version } = model.identity;
  scored.forEach((line, i) => {
    const f = line.split(",");
    assert.equal(
      lines[i + 1],
      `${f.slice(0, 4).join(",")},${expected(line)},${name},${version}`,
    );
  });
});

Deno.test("fail mode: the first bad row stops the run, exit 5, and no output is left", async () => {
  const out = join(dir, "fail.csv");
  const { status, stderr } = await run(["--model", BUNDLE, "--input", mixedPath, "--output", out]);
  assert.equal(status, BATCH_EXIT.badRow);
  assert.match(stderr, /line 5: \$\.population \(maximum\)/);
  assert.doesNotMatch(stderr, /line 8/);
  assert.match(stderr, /stopped at the first bad row/);
  assert.equal(await exists(out), false);
  assert.equal(await exists(`${out}.partial`), false);
});

Deno.test("a missing feature column, or no header line at all, fails the run with exit 4", async () => {
  const keep = columns.map((name, j) => (name === "medIncome" ? -1 : j)).filter((j) => j >= 0);
  const drop = (line: string) => keep.map((j) => line.split(",")[j]).join(",");
  const noMedIncome = csv("no_med_income.csv", [drop(columns.join(",")), ...good.map(drop)]);
  let result = await run([
    "--model",
    BUNDLE,
    "--input",
    noMedIncome,
    "--output",
    join(dir, "x.csv"),
  ]);
  assert.equal(result.status, BATCH_EXIT.input);
  assert.match(result.stderr, /missing feature column \(1 of 122\): "medIncome"/);

  const headless = csv("headless.csv", good);
  result = await run(["--model", BUNDLE, "--input", headless, "--output", join(dir, "x.csv")]);
  assert.equal(result.status, BATCH_EXIT.input);
  assert.match(result.stderr, /line 1 .*header|column names/);
  assert.equal(await exists(join(dir, "x.csv")), false);
});

Deno.test("--strict-columns refuses columns that are not inputs; a missing input file is exit 4", async () => {
  let result = await run([
    "--model",
    BUNDLE,
    "--input",
    mixedPath,
    "--output",
    join(dir, "x.csv"),
    "--strict-columns",
  ]);
  assert.equal(result.status, BATCH_EXIT.input);
  assert.match(result.stderr, /not inputs of this model: "fold", "ViolentCrimesPerPop"/);
  result = await run(["--model", BUNDLE, "--input", join(dir, "absent.csv")]);
  assert.equal(result.status, BATCH_EXIT.input);
  assert.match(result.stderr, /absent\.csv: no such file/);
});

Deno.test("Parquet: row numbers for positions, a text column checked cell by cell, both modes", async () => {
  const features = featureNames(parseCatalogue(namesText));
  const table: Record<string, unknown[]> = {};
  for (const name of ["fold", ...features]) {
    table[name] = good.map((line) => {
      const v = cellValue(line.split(",")[at(name)]);
      return v === null ? null : Number(v);
    });
  }
  (table.population as number[])[2] = 3;
  // A column of text, as a file written from a spreadsheet may have: each cell is parsed.
  table.medIncome = good.map((line, i) => (i === 4 ? "high" : line.split(",")[at("medIncome")]));
  const path = join(dir, "rows.parquet");
  pl.DataFrame(table).writeParquet(path);

  const out = join(dir, "parquet.csv");
  const skip = await run([
    "--model",
    BUNDLE,
    "--input",
    path,
    "--output",
    out,
    "--on-error",
    "skip",
  ]);
  assert.equal(skip.status, BATCH_EXIT.ok, skip.stderr);
  assert.match(skip.stderr, /row 3: \$\.population \(maximum\): must be <= 1, got 3/);
  assert.match(skip.stderr, /row 5: \$\.medIncome \(type\): must be a number, got string "high"/);
  const lines = (await Deno.readTextFile(out)).trim().split("\n");
  assert.equal(lines[0], "row,prediction,model_name,model_version");
  assert.equal(lines.length - 1, good.length - 2);
  assert.equal(lines[1].split(",")[1], String(expected(good[0])));
  assert.equal(lines[3].split(",")[0], "4"); // rows 3 and 5 skipped

  const fail = await run(["--model", BUNDLE, "--input", path, "--output", join(dir, "pf.csv")]);
  assert.equal(fail.status, BATCH_EXIT.badRow);
  assert.equal(await exists(join(dir, "pf.csv")), false);
});

Deno.test("the server's entry point runs predict: stdout output, exit 3 for a missing model, 2 for a bad flag", async () => {
  const command = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "serve/main.ts", "predict", ...args],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
  const goodPath = csv("good.csv", [columns.join(","), ...good]);
  let result = await command(["--model", BUNDLE, "--input", goodPath]);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(result.code, BATCH_EXIT.ok, decode(result.stderr));
  const stdout = decode(result.stdout).trim().split("\n");
  assert.equal(stdout.length, good.length + 1);
  assert.equal(stdout[1].split(",").at(4), String(expected(good[0])));

  result = await command(["--model", join(dir, "missing.json"), "--input", goodPath]);
  assert.equal(result.code, BATCH_EXIT.model);
  assert.match(decode(result.stderr), /missing\.json: no such bundle file/);

  result = await command(["--input", goodPath, "--on-error", "ignore"]);
  assert.equal(result.code, BATCH_EXIT.usage);
  assert.match(decode(result.stderr), /--on-error/);
});

Deno.test("a registry model, by alias and by version, through a real MLflow server and its cache", async () => {
  const server = await startTestServer();
  try {
    const { tracking, artifacts, registry } = server.client;
    const experiment = await tracking.getOrCreateExperiment("batch-test");
    const trainingRun = await tracking.createRun({ experimentId: experiment.experiment_id });
    await artifacts.upload(
      trainingRun.info.artifact_uri,
      `${MODEL_ARTIFACT_DIR}/${BUNDLE_FILE}`,
      await Deno.readTextFile(BUNDLE),
    );
    await tracking.terminateRun(trainingRun.info.run_id);
    await registry.getOrCreateRegisteredModel("communities-crime");
    const created = await registry.createModelVersion({
      name: "communities-crime",
      source: joinArtifactPath(trainingRun.info.artifact_uri, "model"),
      runId: trainingRun.info.run_id,
    });
    const { version } = await registry.waitUntilReady("communities-crime", created.version, {
      timeoutMs: 20_000,
    });
    await registry.setAlias("communities-crime", "champion", version);
    const goodPath = csv("registry.csv", [columns.join(","), ...good.slice(0, 5)]);
    const cache = join(dir, "cache");
    for (
      const uri of ["models:/communities-crime@champion", `models:/communities-crime/${version}`]
    ) {
      const out = join(dir, `registry-${version}.csv`);
      const { status, stderr } = await run([
        ...["--model", uri, "--mlflow-uri", server.uri, "--cache-dir", cache],
        ...["--input", goodPath, "--output", out],
      ]);
      assert.equal(status, BATCH_EXIT.ok, stderr);
      const lines = (await Deno.readTextFile(out)).trim().split("\n");
      assert.equal(lines.length, 6);
      assert.equal(
        lines[1],
        `${good[0].split(",").slice(0, 4).join(",")},${
          expected(good[0])
        },communities-crime,${version}`,
      );
    }
  } finally {
    await server.stop();
  }
});

Deno.test("a model with state offsets reads the state column as an input and keeps it as an identifier", async () => {
  const bundlePath = join(dir, "offsets_bundle.json");
  await writeBundle(bundlePath, await testBundle({ stateOffsets: true, inputs: 5 }));
  const withOffsets = createServedModel((await fileSource(bundlePath).fetch())!, {
    maxBatchRows: 10,
  });
  // The same community in California (offset +0.1), with no state given, and as written.
  const lines = [withField(good[0], "state", "6"), withField(good[0], "state", "?"), good[1]];
  const out = join(dir, "offsets.csv");
  const { status, stderr } = await run([
    "--model",
    bundlePath,
    "--input",
    csv("offsets_in.csv", [columns.join(","), ...lines]),
    "--output",
    out,
  ]);
  assert.equal(status, BATCH_EXIT.ok, stderr);
  const rows = (await Deno.readTextFile(out)).trim().split("\n").slice(1).map((l) => l.split(","));
  assert.deepEqual(rows.map((r) => r[0]), ["6", "?", good[1].split(",")[0]]);
  const [california, none, asWritten] = rows.map((r) => Number(r[4]));
  assert.ok(Math.abs(california - none - 0.1) < 1e-12, `${california} vs ${none}`);
  const fields = good[1].split(",");
  const row = Object.fromEntries(
    withOffsets.bundle.features.map((f) => [f.name, cellValue(fields[at(f.name)])]),
  );
  assert.equal(asWritten, withOffsets.predictRow(row)![0]);
});

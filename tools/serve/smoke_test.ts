/**
 * A smoke test of a server command (a compiled binary or `deno run serve/main.ts`): it
 * starts the server on a free loopback port, waits for `/ready`, sends one valid
 * prediction (the API document's own example), one invalid row and one malformed body,
 * stops it with SIGTERM, and expects a clean exit and the prediction in the log file.
 *
 *     deno run -A tools/serve/smoke_test.ts dist/crime-serve [server args...]
 *     deno run -A tools/serve/smoke_test.ts --url http://127.0.0.1:8080   # HTTP checks only
 *     deno run -A tools/serve/smoke_test.ts --url http://127.0.0.1:8080 \
 *       --expect-bundle dist/deploy_bundle.json --expect-version 4     # and what is served
 *
 * A deployment adds what it expects to be served: `--expect-bundle` checks that the
 * server's bundle has that file's checksum and that a known row (the API document's
 * reference example) gets the prediction the bundle itself makes; `--expect-version`
 * checks the version `/model/info` reports (a registry version when served by alias or
 * from a bundle file whose registration record names it, else the checksum's first 12 hex
 * digits).
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileSource } from "../../serve/model/model_source_file.ts";
import { createServedModel } from "../../serve/model/served_model.ts";
import { spawnServer } from "./spawn_server.ts";

/** Runs the smoke test; throws with the server's log on the first failed check. */
export async function smokeTest(
  command: readonly string[],
  report: (line: string) => void = () => {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "serve_smoke_" });
  const predictionLog = join(dir, "predictions.jsonl");
  try {
    const server = await spawnServer([
      ...command,
      "--port",
      "0",
      "--prediction-log",
      predictionLog,
    ]);
    const fail = (message: string): never => {
      throw new Error(`${message}\nserver log:\n${server.logs.join("\n")}`);
    };
    try {
      report(`listening on ${server.url}`);
      await waitUntilReady(server.url, 15_000).catch((error) => fail(error.message));
      report("ready");
      // With --workers N, every instance must come up: a worker that cannot start (say,
      // its module missing from a compiled binary) leaves the main instance serving alone.
      const deadline = Date.now() + 15_000;
      const at = command.indexOf("--workers");
      const instances = at >= 0 ? Number(command[at + 1]) : 1;
      while (server.instancesListening() < instances) {
        if (server.logs.some((line) => /"msg":"worker (failed|could not start)"/.test(line))) {
          fail("a worker instance failed to start");
        }
        if (Date.now() > deadline) {
          fail(`${server.instancesListening()} of ${instances} instances listening`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (instances > 1) report(`${instances} instances listening`);
      await checkPredictions(server.url, report).catch((error) => fail(error.message));
    } catch (error) {
      await server.stop("SIGKILL");
      throw error;
    }
    const status = await server.stop();
    if (status.code !== 0) fail(`exit code ${status.code} after SIGTERM`);
    report("SIGTERM: clean exit");
    const logged = await Deno.readTextFile(predictionLog);
    if (!logged.includes('"requestId":"smoke-test"')) fail("the prediction is not in the log");
    report("prediction log: written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Waits until `GET <url>/ready` answers 200; throws after `timeoutMs`. */
export async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  for (;;) {
    try {
      const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5000) });
      last = `${ready.status} ${await ready.text()}`;
      if (ready.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The `/predict` examples of the API document of the server at `url` (`reference`, `invalid`). */
export async function apiExamples(
  url: string,
): Promise<Record<"reference" | "invalid", { value: Record<string, unknown> }>> {
  const spec = await (await fetch(`${url}/openapi.json`, { signal: AbortSignal.timeout(10_000) }))
    .json();
  return spec.paths["/predict"].post.requestBody.content["application/json"].examples;
}

/**
 * One valid prediction (the API document's own example), one invalid row (422) and one
 * malformed body (400) against the server at `url`; throws on the first wrong answer.
 */
export async function checkPredictions(
  url: string,
  report: (line: string) => void = () => {},
): Promise<void> {
  const examples = await apiExamples(url);
  const post = (body: string) =>
    fetch(`${url}/predict`, {
      method: "POST",
      body,
      signal: AbortSignal.timeout(10_000),
      headers: { "content-type": "application/json", "x-request-id": "smoke-test" },
    });

  const good = await post(JSON.stringify(examples.reference.value));
  const answer = await good.json();
  if (good.status !== 200 || !(answer.prediction >= 0 && answer.prediction <= 1)) {
    throw new Error(`POST /predict answered ${good.status} ${JSON.stringify(answer)}`);
  }
  const version = good.headers.get("x-model-version");
  report(`POST /predict: 200, prediction ${answer.prediction}, model version ${version}`);

  const bad = await post(JSON.stringify(examples.invalid.value));
  const problems = await bad.json();
  if (bad.status !== 422 || !Array.isArray(problems.issues)) {
    throw new Error(
      `POST /predict with an invalid row answered ${bad.status} ${JSON.stringify(problems)}`,
    );
  }
  report(`POST /predict with an invalid row: 422, ${problems.issues.length} issues`);

  const malformed = await post("{not json");
  await malformed.body?.cancel();
  if (malformed.status !== 400) {
    throw new Error(`POST /predict with malformed JSON answered ${malformed.status}`);
  }
  report("POST /predict with malformed JSON: 400");
}

/** What a deployment expects the server to serve; see {@linkcode checkServedModel}. */
export interface ServedExpectation {
  /** A bundle file: the served checksum must be its checksum, a known row its prediction. */
  readonly bundle?: string;
  /** The version `/model/info` must report. */
  readonly version?: string;
}

/**
 * Checks that the server at `url` serves what a deployment shipped: the version, the
 * bundle's checksum, and the bundle's own prediction for the API document's reference
 * row (computed here by the server's code from the bundle file, so a model that loads
 * but predicts differently is caught). Throws on the first difference.
 */
export async function checkServedModel(
  url: string,
  expected: ServedExpectation,
  report: (line: string) => void = () => {},
): Promise<void> {
  const info = await (await fetch(`${url}/model/info`, { signal: AbortSignal.timeout(10_000) }))
    .json();
  if (expected.version !== undefined && info.version !== expected.version) {
    throw new Error(`serves version ${info.version}, expected ${expected.version}`);
  }
  if (expected.version !== undefined) report(`GET /model/info: version ${info.version}`);
  if (expected.bundle === undefined) return;
  const fetched = await fileSource(expected.bundle).fetch();
  if (!fetched) throw new Error(`${expected.bundle}: no bundle`);
  if (info.checksum !== fetched.bundle.checksum) {
    throw new Error(
      `serves bundle ${info.checksum}, expected ${fetched.bundle.checksum} (${expected.bundle})`,
    );
  }
  report(`GET /model/info: checksum ${info.checksum.slice(0, 12)}… as shipped`);
  const row = (await apiExamples(url)).reference.value;
  const local = createServedModel(fetched, { maxBatchRows: 1 }).predictRow(row);
  if (!local) throw new Error("the reference row breaks the shipped bundle's feature schema");
  const response = await fetch(`${url}/predict`, {
    method: "POST",
    body: JSON.stringify(row),
    signal: AbortSignal.timeout(10_000),
    headers: { "content-type": "application/json", "x-request-id": "smoke-test-known-row" },
  });
  const served = (await response.json()).prediction;
  // The same code on the same bundle: anything beyond rounding in JSON is a different model.
  if (response.status !== 200 || !(Math.abs(served - local[0]) <= 1e-12)) {
    throw new Error(
      `the known row predicts ${served} (status ${response.status}), expected ${local[0]}`,
    );
  }
  report(`POST /predict of the known row: ${served}, as the shipped bundle predicts`);
}

const USAGE = "usage: smoke_test.ts <server command> [args...]\n" +
  "       smoke_test.ts --url <base URL> [--expect-bundle <bundle.json>] [--expect-version <v>]";

if (import.meta.main) {
  if (Deno.args.length === 0) {
    console.error(USAGE);
    Deno.exit(2);
  }
  const report = (line: string) => console.error(`smoke: ${line}`);
  try {
    // --url checks a server that runs elsewhere (a container): the HTTP checks only.
    if (Deno.args[0] === "--url") {
      const { values } = parseArgs({
        args: Deno.args,
        options: {
          url: { type: "string" },
          "expect-bundle": { type: "string" },
          "expect-version": { type: "string" },
          "ready-timeout": { type: "string", default: "60" },
        },
      });
      if (!values.url) throw new Error(`--url needs a base URL\n${USAGE}`);
      await waitUntilReady(values.url, Number(values["ready-timeout"]) * 1000);
      report("ready");
      await checkPredictions(values.url, report);
      await checkServedModel(values.url, {
        bundle: values["expect-bundle"],
        version: values["expect-version"],
      }, report);
    } else {
      await smokeTest(Deno.args, report);
    }
    console.error("smoke: passed");
  } catch (error) {
    console.error(`smoke: FAILED: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

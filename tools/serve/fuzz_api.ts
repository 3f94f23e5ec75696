/**
 * Property-based fuzzing of the prediction server's HTTP API with schemathesis (PyPI),
 * generated from the server's own `/openapi.json`, against a real server process started
 * on a free port with the given bundle: every check schemathesis has (no 5xx, status
 * codes, content types, headers and bodies as declared, negative data rejected, positive
 * data accepted, undeclared methods, authentication).
 *
 *     deno task fuzz --model models/model_bundle.json [--examples 800] [--seed N]
 *
 * Without `--seed` each run explores new inputs; schemathesis prints how to replay a
 * failure.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runCommand } from "../run_command.ts";
import { sourceCommand, spawnServer } from "./spawn_server.ts";

/** The project's schemathesis. */
export const SCHEMATHESIS: string = fileURLToPath(
  new URL("../../.venv/bin/schemathesis", import.meta.url),
);

// Which answers count as refusing data outside the schema (413 and 415 among them).
const CONFIG = fileURLToPath(new URL("schemathesis.toml", import.meta.url));

/** Options of {@linkcode fuzzApi}. */
export interface FuzzOptions {
  /** The bundle the server serves. */
  readonly model: string;
  /** Generated examples per API operation and phase (schemathesis `--max-examples`). */
  readonly examples: number;
  /** Fixed for a reproducible run. */
  readonly seed?: number;
}

/** What a fuzzing run found. */
export interface FuzzReport {
  /** Requests sent. */
  readonly requests: number;
  /** `<operation>: <check>` of every failed check, once each. */
  readonly failures: readonly string[];
  /** Server log lines of 5xx answers. */
  readonly serverErrors: readonly string[];
  /** Whether the server still answered /health at the end. */
  readonly alive: boolean;
  /** The server's last log lines, to say why when it no longer answers. */
  readonly lastLogLines: readonly string[];
  /** schemathesis's exit code and the end of its output (its summary). */
  readonly code: number;
  readonly summary: string;
}

interface Scenario {
  readonly recorder: {
    readonly label: string;
    readonly interactions?: Record<string, unknown>;
    readonly checks?: Record<string, { name: string; status: string }[]>;
  };
}

/**
 * Fuzzes a fresh server.
 *
 * @example
 * ```ts ignore
 * const report = await fuzzApi({ model: "models/model_bundle.json", examples: 100 });
 * console.log(report.requests, report.failures);
 * ```
 */
export async function fuzzApi(options: FuzzOptions): Promise<FuzzReport> {
  const dir = await Deno.makeTempDir({ prefix: "crime-fuzz-" });
  const token = crypto.randomUUID();
  const server = await spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", options.model, "--prediction-log", join(dir, "log.jsonl")],
    ...["--admin-token", token],
  ]);
  try {
    const events = join(dir, "events.ndjson");
    const run = await runCommand(SCHEMATHESIS, [
      ...["--config-file", CONFIG, "run"],
      `${server.url}/openapi.json`,
      ...["--checks", "all", "--max-examples", `${options.examples}`],
      ...(options.seed === undefined ? [] : ["--seed", `${options.seed}`]),
      ...["--request-timeout", "10", "--report", "ndjson", "--report-ndjson-path", events],
      ...["-H", `Authorization: Bearer ${token}`],
    ], { cwd: dir, env: { NO_COLOR: "1" }, timeoutMs: 30 * 60_000 });
    const scenarios: Scenario[] = (await Deno.readTextFile(events)).trim().split("\n")
      .map((line) => JSON.parse(line))
      .flatMap((event) => event.ScenarioFinished ? [event.ScenarioFinished] : []);
    const failures = scenarios.flatMap((s) =>
      Object.values(s.recorder.checks ?? {}).flat().filter((c) => c.status === "failure")
        .map((c) => `${s.recorder.label}: ${c.name}`)
    );
    const alive = await answersHealth(server.url);
    return {
      requests: scenarios.reduce(
        (n, s) => n + Object.keys(s.recorder.interactions ?? {}).length,
        0,
      ),
      failures: [...new Set(failures)],
      serverErrors: server.logs.filter((line) => /"status":5\d\d/.test(line)),
      alive,
      lastLogLines: server.logs.slice(-20),
      code: run.code,
      summary: run.stdout.trimEnd().split("\n").slice(-40).join("\n"),
    };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Whether the server answers /health within 60 s. Polled rather than asked once: on a
 * loaded machine the last answers can keep it busy a few seconds after the fuzzer ends,
 * and connections the fuzzer left open count against the connection cap until the idle
 * timeout (30 s) closes them; a crashed server refuses at once, every time.
 */
async function answersHealth(url: string): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })
      .then((r) => r.body?.cancel().then(() => r.ok) ?? r.ok, () => false);
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      model: { type: "string", default: "models/model_bundle.json" },
      examples: { type: "string", default: "800" },
      seed: { type: "string" },
    },
    strict: true,
  });
  const report = await fuzzApi({
    model: values.model,
    examples: Number(values.examples),
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  console.log(report.summary);
  console.log(
    `${report.requests} requests, ${report.failures.length} failed checks, ` +
      `${report.serverErrors.length} 5xx answers, server ${report.alive ? "alive" : "DOWN"}`,
  );
  Deno.exit(report.failures.length || report.serverErrors.length || !report.alive ? 1 : 0);
}

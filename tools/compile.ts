/**
 * Compiles the prediction server into one executable with `deno compile`, optionally
 * embedding a model bundle (checked first) that the binary then serves by default.
 *
 *     deno task compile [--bundle <bundle.json>] [--output dist/crime-serve] [--target <triple>]
 *
 * `deno compile` downloads the matching standalone runtime (denort) on first use; where
 * that download is impossible, this says so plainly and exits non-zero.
 *
 * @module
 */
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openBundle } from "../pipeline/bundle/bundle_io.ts";
import { EMBEDDED_BUNDLE_URL } from "../serve/model/model_source_embedded.ts";

/** Where the binary goes by default, relative to the project root. */
export const DEFAULT_OUTPUT = "dist/crime-serve";

/** What the binary may do: listen and call MLflow, read bundles, write cache and logs, read config. */
export const RUNTIME_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
];

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MAIN = "serve/main.ts";

/** Options of {@linkcode compileServer}. */
export interface CompileOptions {
  /** A bundle to embed; the binary serves it unless `--model` says otherwise. */
  readonly bundle?: string;
  /** Output path, relative to the project root unless absolute. */
  readonly output?: string;
  /** A target triple for cross-compiling, e.g. `aarch64-unknown-linux-gnu`. */
  readonly target?: string;
  /** Type-check first (default true); skip only where the code was checked already. */
  readonly typeCheck?: boolean;
}

/** How a compile ended. */
export type CompileResult =
  | { readonly ok: true; readonly output: string }
  | {
    readonly ok: false;
    /** One or two sentences a person can act on. */
    readonly reason: string;
    /** True when only the runtime download failed (no network), not the code. */
    readonly runtimeUnavailable: boolean;
  };

/**
 * Compiles the server.
 *
 * @example Needs the trained bundle and Deno's runtime download (or `DENORT_BIN`)
 * ```ts ignore
 * const result = await compileServer({ bundle: "models/model_bundle.json" });
 * if (!result.ok) console.error(result.reason);
 * ```
 */
export async function compileServer(options: CompileOptions = {}): Promise<CompileResult> {
  const output = options.output ?? DEFAULT_OUTPUT;
  const include: string[] = [];
  if (options.bundle) {
    let text: string;
    try {
      text = await Deno.readTextFile(options.bundle);
      await openBundle(text, options.bundle);
    } catch (error) {
      return {
        ok: false,
        reason: `cannot embed ${options.bundle}: ${(error as Error).message}`,
        runtimeUnavailable: false,
      };
    }
    const staged = fileURLToPath(EMBEDDED_BUNDLE_URL);
    await Deno.mkdir(dirname(staged), { recursive: true });
    await Deno.writeTextFile(staged, text);
    include.push("--include", relative(ROOT, staged));
  }
  const args = [
    "compile",
    "--frozen",
    // The project's node_modules holds training-only packages (TensorFlow, Polars) of
    // hundreds of MB; resolving from the package cache embeds only what the server imports.
    "--node-modules-dir=none",
    "--exclude-unused-npm",
    ...(options.typeCheck === false ? ["--no-check"] : []),
    ...RUNTIME_PERMISSIONS,
    // SO_REUSEPORT for --workers, and the worker module, which only `new Worker` names.
    "--unstable-net",
    "--include",
    "serve/instances/worker.ts",
    ...include,
    ...(options.target ? ["--target", options.target] : []),
    "--output",
    output,
    MAIN,
  ];
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(stderr);
  if (code === 0) return { ok: true, output };
  if (/denort|base binary|dl\.deno\.land/i.test(log)) {
    const version = Deno.version.deno;
    return {
      ok: false,
      runtimeUnavailable: true,
      reason: `the Deno runtime for standalone binaries (denort ${version}) could not be ` +
        `downloaded (${rootCause(log)}). deno compile fetches it from dl.deno.land on first use: ` +
        `run where that host is reachable, or set DENORT_BIN to a denort ${version} binary.`,
    };
  }
  return { ok: false, reason: `deno compile failed:\n${log.trim()}`, runtimeUnavailable: false };
}

/** The innermost cause in deno's numbered "Caused by" chain, or its first error line. */
function rootCause(log: string): string {
  const causes = [...log.matchAll(/^\s*\d+: (.+)$/gm)].map((m) => m[1].trim());
  return causes.at(-1) ?? log.split("\n").find((line) => line.startsWith("error:"))?.slice(7) ??
    "no details";
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      bundle: { type: "string" },
      output: { type: "string" },
      target: { type: "string" },
    },
    strict: true,
  });
  const result = await compileServer(values);
  if (result.ok) {
    console.error(
      `compile: wrote ${result.output}${values.bundle ? ` with ${values.bundle} embedded` : ""}`,
    );
  } else {
    console.error(`compile: ${result.reason}`);
  }
  Deno.exit(result.ok ? 0 : 1);
}

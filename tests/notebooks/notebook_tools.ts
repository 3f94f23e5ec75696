/**
 * Runs the notebook tools as the tests need them: the Python executor and stripper
 * from the project's virtualenv, and the Deno scripts with the running Deno.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { runCommand } from "../../tools/run_command.ts";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The folder of the fixture notebooks. */
export const FIXTURES = `${ROOT}tests/fixtures/notebooks`;

const PYTHON = `${ROOT}.venv/bin/python`;
const KERNELSPEC = `${ROOT}.jupyter/kernels/deno/kernel.json`;

/** What a finished tool process printed, and its exit code. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  const { code, stdout, stderr } = await runCommand(command, args, {
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
  });
  return { code, stdout, stderr };
}

async function python(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  if (!await exists(PYTHON)) {
    throw new Error(`no Python virtualenv at ${ROOT}.venv: run \`make setup\``);
  }
  return await run(PYTHON, args, env);
}

/** Runs `tools/notebooks/<script>` with the virtualenv's Python, `env` added to its environment. */
export function runPython(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  return python([`${ROOT}tools/notebooks/${script}`, ...args], env);
}

/** Runs Python `code` with the virtualenv's Python, from the project root. */
export function runPythonCode(code: string, args: readonly string[]): Promise<ToolResult> {
  return python(["-c", code, ...args]);
}

/**
 * Runs `execute_notebook.py`, which starts the real Deno kernel: a missing kernelspec
 * fails the test rather than skipping it.
 */
export async function executeNotebook(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  if (!await exists(KERNELSPEC)) {
    throw new Error(`no Deno kernelspec at ${KERNELSPEC}: run \`make setup\``);
  }
  return await runPython("execute_notebook.py", args, env);
}

/** Runs a Deno script of the project with all permissions. */
export async function runDeno(script: string, args: readonly string[]): Promise<ToolResult> {
  return await run(Deno.execPath(), ["run", "--allow-all", `${ROOT}${script}`, ...args]);
}

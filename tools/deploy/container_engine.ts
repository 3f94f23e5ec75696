/**
 * The container engine a deployment rehearsal drives: podman on the project's build
 * machines (with the project's `containers.conf`, see `../container/podman.ts`), Docker
 * on GitHub's runners. Both take the same `run`, `stop`, `rm`, `logs` arguments.
 *
 * @module
 */
import { podman } from "../container/podman.ts";
import { type CommandResult, runCommand } from "../run_command.ts";

/** The engines the rehearsal knows. */
export const ENGINES = ["podman", "docker"] as const;

/** One of {@linkcode ENGINES}. */
export type EngineName = typeof ENGINES[number];

/** Runs one engine command; throws (with its output) when `check` and it fails. */
export type Engine = (args: readonly string[], check?: boolean) => Promise<CommandResult>;

/**
 * The engine called `name`.
 *
 * @example
 * ```ts ignore
 * const { stdout } = await containerEngine("docker")(["ps", "-q"]);
 * ```
 */
export function containerEngine(name: EngineName): Engine {
  if (name === "podman") return (args, check = true) => podman(args, { check });
  return async (args, check = true) => {
    const result = await runCommand("docker", args, { timeoutMs: 600_000 });
    if (check && (result.code !== 0 || result.timedOut)) {
      throw new Error(
        `docker ${args.join(" ")} exited with ${result.code}: ${result.stderr.trim()}`,
      );
    }
    return result;
  };
}

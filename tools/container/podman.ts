/**
 * Runs podman with the project's `container/containers.conf` (runc, lowered rlimits, CNI
 * networks), so that builds and containers work on hosts whose cgroups or limits break
 * podman's defaults without changing anything in /etc. A `CONTAINERS_CONF` already set
 * wins.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type CommandResult, runCommand } from "../run_command.ts";

/** The project's podman settings. */
export const CONTAINERS_CONF: string = fileURLToPath(
  new URL("../../container/containers.conf", import.meta.url),
);

/**
 * The variables to add to the inherited environment of podman (and podman-compose):
 * `CONTAINERS_CONF` naming the project's settings unless the caller's environment names
 * others, then `extra`.
 */
export function podmanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { CONTAINERS_CONF: Deno.env.get("CONTAINERS_CONF") ?? CONTAINERS_CONF, ...extra };
}

/** Options of {@linkcode podman}. */
export interface PodmanOptions {
  /** Bytes for standard input. */
  readonly stdin?: ReadableStream<Uint8Array>;
  /** Throw unless the command exits 0 (default true). */
  readonly check?: boolean;
  /** Kill podman after this long (default 10 minutes: a build that downloads packages). */
  readonly timeoutMs?: number;
}

/** A podman command that failed; the message holds its arguments and its output's end. */
export class PodmanError extends Error {
  override name = "PodmanError";
}

/**
 * Runs `podman args…` and collects its output.
 *
 * @example
 * ```ts ignore
 * const { stdout } = await podman(["image", "ls", "--format", "{{.Repository}}"]);
 * ```
 */
export async function podman(
  args: readonly string[],
  options: PodmanOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const result = await runCommand("podman", args, {
    env: podmanEnv(),
    stdin: options.stdin,
    timeoutMs,
  });
  const cleaned = { ...result, stderr: withoutSystemdNoise(result.stderr) };
  if ((options.check ?? true) && (result.code !== 0 || result.timedOut)) {
    const ended = result.timedOut
      ? `was killed after ${timeoutMs} ms`
      : `exited with ${result.code}`;
    // A failed build says why in the last lines of its step output, on stdout.
    const tail = result.stdout.trimEnd().split("\n").slice(-15).join("\n");
    throw new PodmanError(`podman ${args.join(" ")} ${ended}:\n${tail}\n${cleaned.stderr.trim()}`);
  }
  return cleaned;
}

/**
 * Drops podman's complaints that it cannot reach systemd to schedule health checks: on
 * hosts without systemd they come with every run and stop, and health checks are run on
 * demand (`podman healthcheck run`) instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const noise = 'level=error msg="unable to get systemd connection to add healthchecks"';
 * assert.equal(withoutSystemdNoise(`${noise}\nError: no such image`), "Error: no such image");
 * ```
 */
export function withoutSystemdNoise(stderr: string): string {
  return stderr.split("\n").filter((line) => !line.includes("unable to get systemd connection"))
    .join("\n");
}

/** Why containers cannot be built and run here, or `undefined` when they can. */
export async function podmanUnavailable(): Promise<string | undefined> {
  for (const tool of ["podman", "runc"]) {
    try {
      const { code } = await runCommand(tool, ["--version"], { timeoutMs: 30_000 });
      if (code !== 0) return `${tool} --version failed`;
    } catch {
      return `${tool} is not installed (Debian packages podman, runc)`;
    }
  }
  return undefined;
}

/** Whether an image with this name exists locally. */
export async function imageExists(name: string): Promise<boolean> {
  return (await podman(["image", "exists", name], { check: false })).code === 0;
}

/** A label of a local image, `undefined` when the image or the label is missing. */
export async function imageLabel(name: string, label: string): Promise<string | undefined> {
  const { code, stdout } = await podman(
    ["image", "inspect", "--format", `{{index .Labels "${label}"}}`, name],
    { check: false },
  );
  const value = stdout.trim();
  return code === 0 && value !== "" && value !== "<no value>" ? value : undefined;
}

/** The size of a local image in bytes. */
export async function imageSize(name: string): Promise<number> {
  const { stdout } = await podman(["image", "inspect", "--format", "{{.Size}}", name]);
  return Number(stdout.trim());
}

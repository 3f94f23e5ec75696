/**
 * Runs podman with the project's `container/containers.conf` (runc, lowered rlimits), so
 * that builds and containers work on hosts whose cgroups or limits break podman's
 * defaults without changing anything in /etc. A `CONTAINERS_CONF` already set wins.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The project's podman settings. */
export const CONTAINERS_CONF: string = fileURLToPath(
  new URL("../../container/containers.conf", import.meta.url),
);

/** The environment podman (and podman-compose) run with. */
export function podmanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { CONTAINERS_CONF: Deno.env.get("CONTAINERS_CONF") ?? CONTAINERS_CONF, ...extra };
}

/** What a podman command printed and how it ended. */
export interface PodmanResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@linkcode podman}. */
export interface PodmanOptions {
  /** Bytes for standard input. */
  readonly stdin?: ReadableStream<Uint8Array>;
  /** Throw unless the command exits 0 (default true). */
  readonly check?: boolean;
  readonly cwd?: string;
}

/** A podman command that failed; the message holds its arguments and its stderr. */
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
): Promise<PodmanResult> {
  const child = new Deno.Command("podman", {
    args: [...args],
    env: podmanEnv(),
    cwd: options.cwd,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin) await options.stdin.pipeTo(child.stdin);
  const output = await child.output();
  const result = {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: withoutSystemdNoise(new TextDecoder().decode(output.stderr)),
  };
  if ((options.check ?? true) && result.code !== 0) {
    // A failed build says why in the last lines of its step output, on stdout.
    const tail = result.stdout.trimEnd().split("\n").slice(-15).join("\n");
    throw new PodmanError(
      `podman ${args.join(" ")} exited with ${result.code}:\n${tail}\n${result.stderr.trim()}`,
    );
  }
  return result;
}

/**
 * Drops podman's complaints that it cannot reach systemd to schedule health checks: on
 * hosts without systemd they come with every run and stop, and health checks are run on
 * demand (`podman healthcheck run`) instead.
 */
export function withoutSystemdNoise(stderr: string): string {
  return stderr.split("\n").filter((line) => !line.includes("unable to get systemd connection"))
    .join("\n");
}

/** Why containers cannot be built and run here, or `undefined` when they can. */
export async function podmanUnavailable(): Promise<string | undefined> {
  for (const [tool, args] of [["podman", ["--version"]], ["runc", ["--version"]]] as const) {
    try {
      const { success } = await new Deno.Command(tool, {
        args: [...args],
        stdout: "null",
        stderr: "null",
      }).output();
      if (!success) return `${tool} --version failed`;
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

/**
 * Container helpers for the tests: why container tests must be skipped on this host,
 * the images they use (built once, under a lock that concurrent test files share, and
 * cached by podman between runs), and containers that are always removed, with every
 * wait bounded.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { podman, podmanUnavailable } from "../../tools/container/podman.ts";
import { freePort } from "./mlflow_server.ts";
import { testBundle, writeBundle } from "./test_bundle.ts";

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** Why the container tests cannot run here, or `undefined` when they can. */
export async function containerSkipReason(): Promise<string | undefined> {
  const missing = await podmanUnavailable();
  if (missing) return missing;
  if (Deno.uid() !== 0) return "building the local base images (debootstrap) needs root";
  return undefined;
}

export { withImageLock } from "../../tools/container/image_lock.ts";

/** The bundle the test image bakes in, relative to the project root (`.dockerignore` lets `dist/*.json` in). */
export const BAKED_BUNDLE = "dist/test_bundle.json";

/** Writes the test bundle to {@linkcode BAKED_BUNDLE}; the same bytes on every run. */
export async function writeBakedBundle(): Promise<string> {
  const path = join(ROOT, BAKED_BUNDLE);
  await writeBundle(path, await testBundle());
  return path;
}

/**
 * Polls `check` every `intervalMs` until it returns a value, or throws naming `what` once
 * `timeoutMs` have passed, a check that hangs included.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), Math.max(0, deadline - Date.now()));
    });
    try {
      const value = await Promise.race([check(), expired]);
      if (value !== undefined && value !== "expired") return value as T;
    } catch (error) {
      last = error;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? `: ${last.message}` : "";
      throw new Error(`${what}: not within ${timeoutMs} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The status of `GET url` within 5 s, `undefined` when nothing answered. */
export async function statusOf(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/** A container started by {@linkcode startContainer}. */
export interface TestContainer {
  readonly name: string;
  /** `http://127.0.0.1:<port>` of the published port, if one was asked for. */
  readonly url?: string;
  /** Its log (stdout and stderr) so far. */
  logs(): Promise<string>;
  /** Runs the image's health check once; `true` when it passes. */
  healthy(): Promise<boolean>;
  /** Removes it (and its anonymous volumes), whatever its state. */
  remove(): Promise<void>;
}

/** Options of {@linkcode startContainer}. */
export interface ContainerOptions {
  readonly env?: Record<string, string>;
  /** `host:container[:options]` bind mounts. */
  readonly volumes?: readonly string[];
  /** A container port to publish on a free loopback port. */
  readonly publish?: number;
}

let counter = 0;

/**
 * Starts `image` detached, locked down as an operator would run it: read-only root
 * filesystem, every capability dropped, no privilege escalation.
 */
export async function startContainer(
  image: string,
  options: ContainerOptions = {},
): Promise<TestContainer> {
  const name = `crime-test-${Deno.pid}-${++counter}`;
  const port = options.publish ? freePort() : undefined;
  await podman([
    "run",
    "-d",
    "--name",
    name,
    "--read-only",
    "--cap-drop=all",
    "--security-opt=no-new-privileges",
    ...(port ? ["-p", `127.0.0.1:${port}:${options.publish}`] : []),
    ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    ...(options.volumes ?? []).flatMap((v) => ["-v", v]),
    image,
  ]);
  return {
    name,
    url: port ? `http://127.0.0.1:${port}` : undefined,
    async logs() {
      const { stdout, stderr } = await podman(["logs", name], { check: false });
      return stdout + stderr;
    },
    async healthy() {
      return (await podman(["healthcheck", "run", name], { check: false })).code === 0;
    },
    async remove() {
      await podman(["rm", "-f", "-v", "-t", "0", name], { check: false });
    },
  };
}

/** Makes a host directory the image's non-root user (65532) can write, for `/app/state`. */
export async function stateDirectory(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "crime-state-" });
  await Deno.chown(dir, 65532, 65532);
  return dir;
}

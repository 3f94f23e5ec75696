/**
 * Local stand-ins for the public base images, for hosts that reach Debian's mirror and the
 * package registries but no container registry. A Debian bookworm root filesystem is made
 * with `debootstrap` and imported; the others are built from it by the Containerfiles in
 * `container/base/`, each shaped like the public image it replaces (same paths, users and
 * entrypoints), so the project's Dockerfiles and compose file run unchanged on them.
 * Everything is cached: an image whose recipe is unchanged is not built again.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "../../pipeline/core/sha256.ts";
import { runCommand } from "../run_command.ts";
import { imageExists, imageLabel, podman } from "./podman.ts";

const BASE_DIR = fileURLToPath(new URL("../../container/base/", import.meta.url));
const MIRROR = "http://deb.debian.org/debian";
const SUITE = "bookworm";
const RECIPE_LABEL = "org.crime-serve.recipe";

/** The local image that stands in for each public base image. */
export const LOCAL_BASES = {
  debian: `localhost/crime-debian:${SUITE}`,
  deno: `localhost/crime-deno:${Deno.version.deno}`,
  distroless: `localhost/crime-distroless:${SUITE}`,
  python: `localhost/crime-python:3.11-${SUITE}`,
  postgres: `localhost/crime-postgres:15-${SUITE}`,
  prometheus: `localhost/crime-prometheus:${SUITE}`,
} as const;

/** One of the stand-ins. */
export type LocalBase = keyof typeof LOCAL_BASES;

/** How long a base took, or that it was cached. */
export interface BaseBuild {
  /** The local image name. */
  readonly image: string;
  /** True when an image of the same recipe existed, so nothing was built. */
  readonly cached: boolean;
  /** How long the build took; 0 when cached. */
  readonly seconds: number;
}

/** The digest of `parts`, a zero byte between each, so "ab"+"c" and "a"+"bc" differ. */
async function recipeDigest(parts: readonly (string | Uint8Array)[]): Promise<string> {
  const chunks = parts.map((p) => typeof p === "string" ? new TextEncoder().encode(p) : p);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length + 1, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length + 1;
  }
  return await sha256Hex(all);
}

async function timed(image: string, recipe: string, build: () => Promise<void>) {
  if (await imageExists(image) && await imageLabel(image, RECIPE_LABEL) === recipe) {
    return { image, cached: true, seconds: 0 };
  }
  const started = performance.now();
  await build();
  return { image, cached: false, seconds: (performance.now() - started) / 1000 };
}

/** Builds the Debian base with debootstrap (needs root and the `debootstrap` package). */
async function debianBase(): Promise<BaseBuild> {
  const args = ["--variant=minbase", SUITE];
  const recipe = await recipeDigest(["debootstrap", ...args, MIRROR]);
  return await timed(LOCAL_BASES.debian, recipe, async () => {
    if (Deno.uid() !== 0) throw new Error("debootstrap needs root to build the Debian base image");
    const root = await Deno.makeTempDir({ prefix: "crime-debian-" });
    try {
      const bootstrap = await runCommand("debootstrap", [...args, root, MIRROR], {
        timeoutMs: 15 * 60_000,
      }).catch(() => {
        throw new Error("debootstrap is not installed (Debian package debootstrap)");
      });
      if (bootstrap.code !== 0) {
        const log = bootstrap.stderr.trim().split("\n").slice(-5);
        throw new Error(`debootstrap ${SUITE} failed:\n${log.join("\n")}`);
      }
      // Package caches are not part of a base image.
      for (const dir of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
        for await (const entry of Deno.readDir(join(root, dir))) {
          if (entry.isFile) await Deno.remove(join(root, dir, entry.name));
        }
      }
      const tar = new Deno.Command("tar", {
        args: ["-C", root, "-c", "."],
        stdout: "piped",
      }).spawn();
      try {
        await podman([
          "import",
          "--change",
          `LABEL ${RECIPE_LABEL}=${recipe}`,
          "--change",
          'CMD ["/bin/bash"]',
          "-",
          LOCAL_BASES.debian,
        ], { stdin: tar.stdout });
      } catch (error) {
        // Not left writing into a tree that is about to be deleted.
        try {
          tar.kill();
        } catch {
          // It had finished already.
        }
        await tar.status;
        throw error;
      }
      if (!(await tar.status).success) throw new Error("tar of the Debian root filesystem failed");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

/** Builds `container/base/<name>.Containerfile` on the Debian base, with `context`. */
async function containerfileBase(
  name: Exclude<LocalBase, "debian">,
  context: string,
  extraInputs: readonly Uint8Array[] = [],
): Promise<BaseBuild> {
  const file = join(BASE_DIR, `${name}.Containerfile`);
  const inputs = [await Deno.readFile(file)];
  // The postgres stand-in copies its entrypoint script from the context.
  if (name === "postgres") {
    inputs.push(await Deno.readFile(join(BASE_DIR, "postgres-entrypoint.sh")));
  }
  const debianId = (await podman(["image", "inspect", "--format", "{{.Id}}", LOCAL_BASES.debian]))
    .stdout.trim();
  const recipe = await recipeDigest([name, debianId, ...inputs, ...extraInputs]);
  return await timed(LOCAL_BASES[name], recipe, async () => {
    await podman([
      "build",
      "--format",
      "docker",
      "--build-arg",
      `DEBIAN_IMAGE=${LOCAL_BASES.debian}`,
      "--label",
      `${RECIPE_LABEL}=${recipe}`,
      "-f",
      file,
      "-t",
      LOCAL_BASES[name],
      context,
    ]);
  });
}

/** The Deno stand-in copies this process's own Deno, the project's pinned version. */
async function denoBase(): Promise<BaseBuild> {
  const context = await Deno.makeTempDir({ prefix: "crime-deno-" });
  try {
    await Deno.link(Deno.execPath(), join(context, "deno")).catch(() =>
      Deno.copyFile(Deno.execPath(), join(context, "deno"))
    );
    // The version and size name the binary: each CI run installs a fresh copy of the same one.
    const { size } = await Deno.stat(Deno.execPath());
    const identity = new TextEncoder().encode(`${Deno.version.deno} ${Deno.build.target} ${size}`);
    return await containerfileBase("deno", context, [identity]);
  } finally {
    await Deno.remove(context, { recursive: true });
  }
}

/**
 * Builds (or finds cached) the stand-ins named in `which`, the Debian base first.
 *
 * @example
 * ```ts ignore
 * const builds = await ensureLocalBases(["deno", "distroless"]);
 * console.log(builds.map((b) => `${b.image}: ${b.cached ? "cached" : `${b.seconds} s`}`));
 * ```
 */
export async function ensureLocalBases(
  which: readonly Exclude<LocalBase, "debian">[] = [
    "deno",
    "distroless",
    "python",
    "postgres",
    "prometheus",
  ],
): Promise<BaseBuild[]> {
  const builds = [await debianBase()];
  for (const name of which) {
    builds.push(name === "deno" ? await denoBase() : await containerfileBase(name, BASE_DIR));
  }
  return builds;
}

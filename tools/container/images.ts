/**
 * Builds the project's images with podman on the local base images (see
 * `base_images.ts`): the prediction server (`Dockerfile`, either target) and the stack's
 * MLflow server (`container/mlflow/Dockerfile`). Builds use podman's layer cache, so an
 * unchanged image rebuilds in seconds; the host's CA bundle is handed to the steps that
 * download packages as a build secret (see the Dockerfiles), never stored in the image.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { runCommand } from "../run_command.ts";
import { LOCAL_BASES } from "./base_images.ts";
import { imageLabel, podman } from "./podman.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// A build that installs packages; a stalled download must not hang the caller for ever.
const BUILD_TIMEOUT_MS = 20 * 60_000;

/** The label naming the checksum of the bundle baked into a server image. */
export const MODEL_CHECKSUM_LABEL = "io.github.crime-serve.model-checksum";

/** The tags the compose files and the tests use. */
export const IMAGES = {
  /** The server's deno-run target, as `container/compose.local.yaml` names it. */
  serveDenoRun: "localhost/crime-serve:deno-run",
  /** The server's binary target, as `compose.yaml` names it. */
  serveBinary: "localhost/crime-serve:latest",
  /** The stack's MLflow server, as `compose.yaml` names it. */
  mlflow: "localhost/crime-mlflow:3.17.2",
} as const;

/** A finished build. */
export interface ImageBuild {
  /** The tag built. */
  readonly image: string;
  /** Wall time of the build, relabelling included. */
  readonly seconds: number;
}

/** The host's CA bundle, for TLS through a re-signing proxy; `undefined` where there is none. */
export async function hostCaBundle(): Promise<string | undefined> {
  for (const path of [Deno.env.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"]) {
    if (!path) continue;
    try {
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // Not there: try the next one.
    }
  }
  return undefined;
}

/** `VERSION` and `REVISION` for the OCI labels, from git; "unknown" outside a checkout. */
export async function gitLabels(): Promise<{ version: string; revision: string }> {
  const git = async (...args: string[]) => {
    try {
      const { code, stdout } = await runCommand("git", args, { cwd: ROOT, timeoutMs: 30_000 });
      return code === 0 ? stdout.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    version: await git("describe", "--tags", "--always", "--dirty") ?? "unknown",
    revision: await git("rev-parse", "HEAD") ?? "unknown",
  };
}

/**
 * A local image built from the checked-out commit (see {@linkcode imageIsCurrent}) with the
 * bundle of this checksum baked in, or `undefined` when there is none.
 */
export async function currentImageWithBundle(checksum: string): Promise<string | undefined> {
  const { stdout } = await podman([
    ...["image", "ls", "--filter", `label=${MODEL_CHECKSUM_LABEL}=${checksum}`],
    ...["--format", "{{.Repository}}:{{.Tag}}"],
  ]);
  for (const image of stdout.split("\n").map((line) => line.trim())) {
    if (image && !image.includes("<none>") && await imageIsCurrent(image)) return image;
  }
  return undefined;
}

/**
 * Whether `image` exists and was built from the checked-out commit with no uncommitted
 * change (its labels say so), so that a caller may reuse it instead of building again.
 * Untracked files do not make a checkout dirty: a new, uncommitted source file is not seen.
 */
export async function imageIsCurrent(image: string): Promise<boolean> {
  const labels = await gitLabels();
  if (labels.revision === "unknown" || labels.version.endsWith("-dirty")) return false;
  return await imageLabel(image, "org.opencontainers.image.revision") === labels.revision &&
    await imageLabel(image, "org.opencontainers.image.version") === labels.version;
}

async function build(
  image: string,
  args: readonly string[],
  context: string,
  noCache = false,
  extraLabels: Record<string, string> = {},
): Promise<ImageBuild> {
  const ca = await hostCaBundle();
  const labels = await gitLabels();
  const started = performance.now();
  await podman([
    "build",
    // The OCI format has no HEALTHCHECK; podman keeps it only in the docker format.
    "--format",
    "docker",
    ...(noCache ? ["--no-cache"] : []),
    ...(ca ? ["--secret", `id=ca-certificates,src=${ca}`] : []),
    "--build-arg",
    `VERSION=${labels.version}`,
    "--build-arg",
    `REVISION=${labels.revision}`,
    ...args,
    "-t",
    image,
    context,
  ], { timeoutMs: BUILD_TIMEOUT_MS });
  await relabel(image, {
    "org.opencontainers.image.version": labels.version,
    "org.opencontainers.image.revision": labels.revision,
    ...extraLabels,
  });
  return { image, seconds: (performance.now() - started) / 1000 };
}

/**
 * Sets the version and revision labels (and any other computed label) once more, in a
 * step of their own whose text holds the values: podman's layer cache (buildah 1.28) reuses a LABEL step whose build
 * arguments changed, which would leave an earlier commit on a new image.
 */
async function relabel(image: string, labels: Record<string, string>) {
  const containerfile = [
    `FROM ${image}`,
    `LABEL ${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`,
  ].join("\n");
  const context = await Deno.makeTempDir({ prefix: "crime-relabel-" });
  try {
    await podman(["build", "--format", "docker", "-f", "-", "-t", image, context], {
      stdin: ReadableStream.from([new TextEncoder().encode(containerfile)]),
    });
  } finally {
    await Deno.remove(context, { recursive: true });
  }
}

/** Options of {@linkcode buildServeImage}. */
export interface ServeImageOptions {
  /** `deno-run` (default; builds anywhere) or `binary` (needs Deno's compile runtime). */
  readonly target?: "deno-run" | "binary";
  /** A bundle to bake in, as a path relative to the project root (e.g. `dist/x.json`). */
  readonly bundle?: string;
  /** The tag; defaults to the target's name in {@linkcode IMAGES}. */
  readonly tag?: string;
  /** Rebuild every step, ignoring podman's layer cache (to time a cold build). */
  readonly noCache?: boolean;
}

/**
 * Builds the prediction server image.
 *
 * @example
 * ```ts ignore
 * const { image, seconds } = await buildServeImage({ bundle: "models/model_bundle.json" });
 * ```
 */
export async function buildServeImage(options: ServeImageOptions = {}): Promise<ImageBuild> {
  const target = options.target ?? "deno-run";
  const args = [
    ...["--target", target],
    ...["--build-arg", `DENO_IMAGE=${LOCAL_BASES.deno}`],
    ...["--build-arg", `RUNTIME_IMAGE=${LOCAL_BASES.distroless}`],
    ...(options.bundle ? ["--build-arg", `BUNDLE=${options.bundle}`] : []),
    ...["-f", `${ROOT}Dockerfile`],
  ];
  const tag = options.tag ?? (target === "binary" ? IMAGES.serveBinary : IMAGES.serveDenoRun);
  // The baked bundle's checksum as a label, so that an image with that bundle can be found
  // and reused (the deploy rehearsal reuses the container tests' image this way).
  const checksum = options.bundle
    ? JSON.parse(await Deno.readTextFile(`${ROOT}${options.bundle}`)).checksum
    : undefined;
  const extra: Record<string, string> = checksum ? { [MODEL_CHECKSUM_LABEL]: checksum } : {};
  return await build(tag, args, ROOT, options.noCache, extra);
}

/** Builds the stack's MLflow image. */
export async function buildMlflowImage(noCache = false): Promise<ImageBuild> {
  const args = ["--build-arg", `PYTHON_IMAGE=${LOCAL_BASES.python}`];
  return await build(IMAGES.mlflow, args, `${ROOT}container/mlflow`, noCache);
}

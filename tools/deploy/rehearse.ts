/**
 * The deployment rehearsal: the steps of `.github/workflows/deploy.yml` on one host, with
 * containers instead of a cluster. Each release is deployed in turn to one environment
 * (replace the running container, smoke-test it: `/ready`, a prediction, a 422, the
 * shipped bundle's checksum and its prediction for a known row); then a broken release
 * (the last image, expected to serve a version it does not) must fail its smoke test and
 * leave the previous release restored and passing. Every step prints its time.
 *
 *     deno task deploy:rehearse --bundle examples/model_bundle.json --bundle models/model_bundle.json
 *     deno task deploy:rehearse --engine docker --image crime-serve:candidate --bundle dist/deploy_bundle.json
 *
 * With `--bundle` alone, each bundle is baked into an image of the `deno-run` target,
 * built with podman on the local base images (layer-cached, under the image lock the
 * container tests share; an image of the same commit with the same bundle, such as the
 * container tests', is reused instead): the compiled binary of the default target needs Deno's
 * standalone runtime, which cannot be downloaded everywhere. With `--image`, the images
 * are given (one per bundle, in order); the workflow passes the binary image it built.
 * Exits 0 when the rehearsal went as it must, 1 naming the step that did not.
 *
 * @module
 */
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { ensureLocalBases } from "../container/base_images.ts";
import { withImageLock } from "../container/image_lock.ts";
import { buildServeImage, currentImageWithBundle } from "../container/images.ts";
import { podman } from "../container/podman.ts";
import { freePort } from "../free_port.ts";
import { containerEngine, type Engine, type EngineName, ENGINES } from "./container_engine.ts";
import { DeployEnvironment, type DeployOutcome, type Release } from "./environment.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The version the broken release is expected to serve: no bundle's checksum starts so. */
export const WRONG_VERSION = "not-this-version";

/** What {@linkcode rehearse} did, step by step. */
export interface Rehearsal {
  readonly outcomes: readonly DeployOutcome[];
  /** The release serving at the end (the last good one), checked once more. */
  readonly serving: Release;
}

/** Options of {@linkcode rehearse}. */
export interface RehearsalOptions {
  readonly engine: Engine;
  /** The good releases, deployed in order; at least one. */
  readonly releases: readonly Release[];
  /** Environment (container name prefix); default `crime-rehearsal-<pid>`. */
  readonly name?: string;
  readonly report?: (line: string) => void;
}

/**
 * Deploys every release, then a broken one, and checks that the broken one was rolled
 * back to the last good release; throws naming the step that went otherwise. Every
 * container it starts is removed before it returns.
 *
 * @example
 * ```ts ignore
 * const { outcomes } = await rehearse({
 *   engine: containerEngine("podman"),
 *   releases: [{ label: "v1", image: "localhost/crime-serve:test", expect: { bundle: "dist/test_bundle.json" } }],
 * });
 * ```
 */
export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const report = options.report ?? (() => {});
  const last = options.releases.at(-1);
  if (!last) throw new Error("a rehearsal needs at least one release");
  const environment = new DeployEnvironment({
    name: options.name ?? `crime-rehearsal-${Deno.pid}`,
    port: freePort(),
    engine: options.engine,
    // The image listens on 0.0.0.0, where the server requires an admin token.
    env: { SERVE_ADMIN_TOKEN: crypto.randomUUID().replaceAll("-", "") },
    readyTimeoutMs: 60_000,
    report,
  });
  const outcomes: DeployOutcome[] = [];
  try {
    for (const release of options.releases) {
      report(`deploy ${release.label} (${release.image})`);
      const outcome = await environment.deploy(release);
      outcomes.push(outcome);
      if (outcome.result !== "deployed") {
        throw new Error(`${release.label} was not deployed: ${outcome.reason}`);
      }
      report(`deploy ${release.label}: deployed in ${outcome.seconds.toFixed(1)} s`);
    }
    const broken: Release = {
      label: `${last.label}-broken`,
      image: last.image,
      expect: { version: WRONG_VERSION },
    };
    report(`deploy ${broken.label} (serves the wrong version): must roll back`);
    const outcome = await environment.deploy(broken);
    outcomes.push(outcome);
    if (outcome.result !== "rolled back" || outcome.restored !== last) {
      throw new Error(`${broken.label} was not rolled back to ${last.label}`);
    }
    report(
      `deploy ${broken.label}: rolled back to ${last.label} in ${outcome.seconds.toFixed(1)} s`,
    );
    await environment.smoke(last);
    report(`${last.label} serves after the rollback`);
    return { outcomes, serving: last };
  } finally {
    await environment.remove();
  }
}

/**
 * Builds one `deno-run` image per bundle, each baked in, tagged by the bundle's checksum;
 * returns the releases in the order of `bundles`.
 */
export async function buildReleases(
  bundles: readonly string[],
  report: (line: string) => void = () => {},
): Promise<Release[]> {
  return await withImageLock(async () => {
    for (const base of await ensureLocalBases(["deno", "distroless"])) {
      report(
        `base image ${base.image}: ${
          base.cached ? "cached" : `built in ${base.seconds.toFixed(1)} s`
        }`,
      );
    }
    const releases: Release[] = [];
    for (const [i, path] of bundles.entries()) {
      const bundle = await openBundle(await Deno.readTextFile(path), path);
      const short = bundle.checksum.slice(0, 12);
      // The build context admits bundles under dist/ (see .dockerignore).
      const baked = `dist/rehearsal_${short}.json`;
      await Deno.mkdir(`${ROOT}dist`, { recursive: true });
      await Deno.copyFile(path, `${ROOT}${baked}`);
      const image = `localhost/crime-serve:rehearsal-${short}`;
      // An image of this commit with this bundle baked in (built by an earlier run, or by
      // the container tests) is reused as it is, under this tag.
      const current = await currentImageWithBundle(bundle.checksum);
      if (current) {
        if (current !== image) await podman(["tag", current, image]);
        report(`image ${image} (${basename(path)}): reused ${current}, built from this commit`);
      } else {
        const build = await buildServeImage({ bundle: baked, tag: image });
        report(`image ${image} (${basename(path)}): built in ${build.seconds.toFixed(1)} s`);
      }
      releases.push({ label: `v${i + 1}`, image, expect: { bundle: path } });
    }
    return releases;
  });
}

if (import.meta.main) {
  const report = (line: string) => console.error(`rehearsal: ${line}`);
  const usage =
    "usage: rehearse.ts [--engine podman|docker] [--image <ref>]... --bundle <bundle.json>...";
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        engine: { type: "string", default: "podman" },
        image: { type: "string", multiple: true, default: [] },
        bundle: { type: "string", multiple: true, default: [] },
      },
    });
    const engine = values.engine as EngineName;
    if (!ENGINES.includes(engine)) throw new Error(`--engine must be podman or docker\n${usage}`);
    if (values.bundle.length === 0) throw new Error(`at least one --bundle is needed\n${usage}`);
    if (values.image.length > 0 && values.image.length !== values.bundle.length) {
      throw new Error(`give one --image per --bundle, or none to build them\n${usage}`);
    }
    const started = performance.now();
    const releases = values.image.length > 0
      ? values.image.map((image, i) => ({
        label: `v${i + 1}`,
        image,
        expect: { bundle: values.bundle[i] },
      }))
      : await buildReleases(values.bundle, report);
    await rehearse({ engine: containerEngine(engine), releases, report });
    report(`passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    report(`FAILED: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

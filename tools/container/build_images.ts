/**
 * Builds every image of the compose stack with podman on this host, base images included:
 * the Debian, Deno, distroless, Python, PostgreSQL and Prometheus stand-ins (for hosts
 * without registry access), the MLflow server and the prediction server (deno-run
 * target). Prints each build's time and each image's size. Cached steps take seconds.
 *
 *     deno task images [--bundle models/model_bundle.json] [--target binary] [--no-cache]
 *
 * `--no-cache` rebuilds the MLflow and server images from scratch (the base images stay
 * cached), to time a cold build.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensureLocalBases } from "./base_images.ts";
import { buildMlflowImage, buildServeImage } from "./images.ts";
import { imageSize, podmanUnavailable } from "./podman.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    target: { type: "string", default: "deno-run" },
    "no-cache": { type: "boolean", default: false },
  },
  strict: true,
});
if (values.target !== "deno-run" && values.target !== "binary") {
  console.error(`--target must be deno-run or binary, got "${values.target}"`);
  Deno.exit(2);
}
const unavailable = await podmanUnavailable();
if (unavailable) {
  console.error(`cannot build images: ${unavailable}`);
  Deno.exit(1);
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
try {
  for (const base of await ensureLocalBases()) {
    const how = base.cached ? "cached" : `built in ${base.seconds.toFixed(1)} s`;
    console.log(`${base.image}: ${how}, ${mib(await imageSize(base.image))}`);
  }
  const builds = [
    await buildMlflowImage(values["no-cache"]),
    await buildServeImage({
      target: values.target,
      bundle: values.bundle,
      noCache: values["no-cache"],
    }),
  ];
  for (const { image, seconds } of builds) {
    console.log(`${image}: ${seconds.toFixed(1)} s, ${mib(await imageSize(image))}`);
  }
} catch (error) {
  console.error((error as Error).message);
  Deno.exit(1);
}

/**
 * Pins a Kustomize overlay to one release, in the checkout the deploy workflow applies
 * (`kubectl apply -k`), never in the repository: the server image by the digest that was
 * built and scanned (what `kustomize edit set image` does, with nothing but Deno), and
 * `SERVE_MODEL=embedded` merged into the server's settings, so that the pods serve the
 * bundle inside that image. A release is then one immutable image: `kubectl rollout undo`
 * brings back the previous model with the previous image, which serving the registry's
 * `@champion` alias (the pods following the alias on their own) would not.
 *
 *     deno run --allow-read --allow-write --allow-env tools/deploy/pin_release.ts \
 *       deploy/kubernetes/overlays/staging ghcr.io/acme/crime/crime-serve@sha256:…
 *
 * @module
 */
import { join } from "node:path";
import { parseDocument } from "yaml";

/**
 * The overlay text with the `images:` entry named `name` set to `reference` (`repo@sha256:…`
 * sets `newName` and `digest`, `repo:tag` sets `newName` and `newTag`); an entry is added
 * when there is none. Comments and other entries stay as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const overlay = "images:\n  - name: crime-serve\n    newName: old/crime-serve\n    newTag: staging\n";
 * const digest = "sha256:" + "a".repeat(64);
 * const text = setImage(overlay, "crime-serve", `ghcr.io/o/r/crime-serve@${digest}`);
 * assert.match(text, /newName: ghcr\.io\/o\/r\/crime-serve\n\s+digest: sha256:a{64}/);
 * assert.doesNotMatch(text, /newTag/);
 * ```
 */
export function setImage(overlay: string, name: string, reference: string): string {
  const pinned = /^(?<repo>[^@\s]+)@(?<digest>sha256:[0-9a-f]{64})$/.exec(reference);
  const tagged = /^(?<repo>[^@\s]+?):(?<tag>[\w][\w.-]{0,127})$/.exec(reference);
  const match = pinned ?? tagged;
  if (!match?.groups || match.groups.repo.endsWith("/")) {
    throw new Error(`"${reference}" is not an image reference (repo@sha256:<64 hex> or repo:tag)`);
  }
  const document = parseDocument(overlay);
  if (document.errors.length > 0) {
    throw new Error(`the overlay is not YAML: ${document.errors[0].message}`);
  }
  const entry: Record<string, string> = { name, newName: match.groups.repo };
  if (pinned) entry.digest = match.groups.digest;
  else entry.newTag = match.groups.tag;
  const images = (document.toJS()?.images ?? []) as Record<string, string>[];
  const at = images.findIndex((image) => image.name === name);
  if (!document.has("images")) document.set("images", document.createNode([entry]));
  else if (at < 0) document.addIn(["images"], document.createNode(entry));
  else document.setIn(["images", at], document.createNode(entry));
  return document.toString();
}

/**
 * The overlay text with `key=value` among the literals of the `configMapGenerator` entry
 * `name` (an entry with `behavior: merge` is added when there is none, and an earlier
 * literal of `key` is replaced).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = setConfigLiteral("kind: Kustomization\n", "crime-serve", "SERVE_MODEL", "embedded");
 * assert.match(text, /- name: crime-serve\n\s+behavior: merge\n\s+literals:\n\s+- SERVE_MODEL=embedded/);
 * ```
 */
export function setConfigLiteral(
  overlay: string,
  name: string,
  key: string,
  value: string,
): string {
  const document = parseDocument(overlay);
  if (document.errors.length > 0) {
    throw new Error(`the overlay is not YAML: ${document.errors[0].message}`);
  }
  const generators = (document.toJS()?.configMapGenerator ?? []) as {
    name: string;
    literals?: string[];
  }[];
  const at = generators.findIndex((generator) => generator.name === name);
  const literal = `${key}=${value}`;
  if (at < 0) {
    const entry = document.createNode({ name, behavior: "merge", literals: [literal] });
    if (document.has("configMapGenerator")) document.addIn(["configMapGenerator"], entry);
    else document.set("configMapGenerator", document.createNode([entry]));
    return document.toString();
  }
  const literals = (generators[at].literals ?? []).filter((l) => !l.startsWith(`${key}=`));
  document.setIn(
    ["configMapGenerator", at, "literals"],
    document.createNode([...literals, literal]),
  );
  return document.toString();
}

/** The server's image name in the manifests, and its settings' ConfigMap. */
export const SERVER = { image: "crime-serve", configMap: "crime-serve" } as const;

/**
 * Both pins of a release: the server image by `reference`, and the embedded bundle served.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = pinRelease("kind: Kustomization\n", `r/crime-serve@sha256:${"e".repeat(64)}`);
 * assert.match(text, /digest: sha256:e{64}/);
 * assert.match(text, /SERVE_MODEL=embedded/);
 * ```
 */
export function pinRelease(overlay: string, reference: string): string {
  const pinned = setImage(overlay, SERVER.image, reference);
  return setConfigLiteral(pinned, SERVER.configMap, "SERVE_MODEL", "embedded");
}

if (import.meta.main) {
  const [dir, reference] = Deno.args;
  if (!reference) {
    console.error("usage: pin_release.ts <overlay directory> <image reference>");
    Deno.exit(2);
  }
  const path = join(dir, "kustomization.yaml");
  try {
    await Deno.writeTextFile(path, pinRelease(await Deno.readTextFile(path), reference));
    console.log(`${path}: ${SERVER.image} -> ${reference}, SERVE_MODEL=embedded`);
  } catch (error) {
    console.error(`pin-release: ${path}: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

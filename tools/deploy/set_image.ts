/**
 * Points a Kustomize overlay's image at one reference, as `kustomize edit set image`
 * does, with nothing but Deno: the deploy workflow pins the image it built and scanned by
 * digest in the checkout it applies (`kubectl apply -k`), never in the repository.
 *
 *     deno run --allow-read --allow-write tools/deploy/set_image.ts \
 *       deploy/kubernetes/overlays/staging crime-serve ghcr.io/acme/crime/crime-serve@sha256:…
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

if (import.meta.main) {
  const [dir, name, reference] = Deno.args;
  if (!reference) {
    console.error("usage: set_image.ts <overlay directory> <image name> <reference>");
    Deno.exit(2);
  }
  const path = join(dir, "kustomization.yaml");
  try {
    await Deno.writeTextFile(path, setImage(await Deno.readTextFile(path), name, reference));
    console.log(`${path}: ${name} -> ${reference}`);
  } catch (error) {
    console.error(`set-image: ${path}: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

/** Pinning an overlay's image by digest, as the deploy workflow does before `kubectl apply -k`. */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { setImage } from "../../tools/deploy/set_image.ts";

const DIGEST = `sha256:${"c".repeat(64)}`;
const OVERLAY = `# Production: the image pinned by digest.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: crime-production
images:
  - name: crime-serve
    newName: europe-west1-docker.pkg.dev/p/crime/crime-serve
    digest: sha256:${"0".repeat(64)}
  - name: postgres
    newName: docker.io/library/postgres
    newTag: 15.18-bookworm
`;

Deno.test("the named image is pinned by digest; comments and other images stay", () => {
  const text = setImage(OVERLAY, "crime-serve", `ghcr.io/acme/crime/crime-serve@${DIGEST}`);
  assert.match(text, /^# Production: the image pinned by digest\.$/m);
  const { images, namespace } = parse(text);
  assert.equal(namespace, "crime-production");
  assert.deepEqual(images, [
    { name: "crime-serve", newName: "ghcr.io/acme/crime/crime-serve", digest: DIGEST },
    { name: "postgres", newName: "docker.io/library/postgres", newTag: "15.18-bookworm" },
  ]);
});

Deno.test("a tag replaces a digest, and a missing entry is added", () => {
  const tagged = parse(setImage(OVERLAY, "crime-serve", "ghcr.io/acme/crime/crime-serve:model-v4"));
  assert.deepEqual(tagged.images[0], {
    name: "crime-serve",
    newName: "ghcr.io/acme/crime/crime-serve",
    newTag: "model-v4",
  });
  const added = parse(setImage("kind: Kustomization\n", "crime-serve", `r/crime-serve@${DIGEST}`));
  assert.deepEqual(added.images, [{
    name: "crime-serve",
    newName: "r/crime-serve",
    digest: DIGEST,
  }]);
});

Deno.test("a malformed reference or overlay is refused, naming it", () => {
  for (const bad of ["ghcr.io/x@sha256:abc", "", "ghcr.io/x/ crime"]) {
    assert.throws(() => setImage(OVERLAY, "crime-serve", bad), /is not an image reference/);
  }
  assert.throws(
    () => setImage("images: [", "crime-serve", `r@${DIGEST}`),
    /the overlay is not YAML/,
  );
});

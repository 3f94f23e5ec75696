/**
 * Pinning an overlay to a release, as the deploy workflow does before `kubectl apply -k`:
 * the server image by digest and the embedded bundle served. The last test renders a
 * small overlay with `kubectl kustomize` to see that the pins reach the manifests.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { pinRelease, setConfigLiteral, setImage } from "../../tools/deploy/pin_release.ts";
import { runCommand } from "../../tools/run_command.ts";

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
configMapGenerator:
  - name: crime-serve
    behavior: merge
    literals:
      - MLFLOW_TRACKING_URI=https://mlflow.example.com
      - SERVE_MODEL=models:/communities-crime@champion
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

Deno.test("a setting replaces its earlier literal and keeps the others", () => {
  const { configMapGenerator } = parse(
    setConfigLiteral(OVERLAY, "crime-serve", "SERVE_MODEL", "embedded"),
  );
  assert.deepEqual(configMapGenerator, [{
    name: "crime-serve",
    behavior: "merge",
    literals: ["MLFLOW_TRACKING_URI=https://mlflow.example.com", "SERVE_MODEL=embedded"],
  }]);
});

Deno.test("a malformed reference or overlay is refused, naming it", () => {
  for (const bad of ["ghcr.io/x@sha256:abc", "", "ghcr.io/x/ crime"]) {
    assert.throws(() => setImage(OVERLAY, "crime-serve", bad), /is not an image reference/);
  }
  assert.throws(() => pinRelease("images: [", `r@${DIGEST}`), /the overlay is not YAML/);
});

const kubectl = await runCommand("kubectl", ["version", "--client"], { timeoutMs: 30_000 })
  .then((r) => r.code === 0 ? undefined : "kubectl version --client failed")
  .catch(() => "kubectl is not installed");

Deno.test({
  name: `a pinned overlay renders the digest and SERVE_MODEL=embedded${
    kubectl ? ` (skipped: ${kubectl})` : ""
  }`,
  ignore: kubectl !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "crime-pin-" });
    try {
      await Deno.mkdir(join(dir, "base"));
      await Deno.mkdir(join(dir, "overlay"));
      await Deno.writeTextFile(
        join(dir, "base", "kustomization.yaml"),
        "resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: crime-serve\n" +
          "    literals: [SERVE_MODEL=models:/communities-crime@champion, SERVE_WORKERS=1]\n",
      );
      await Deno.writeTextFile(
        join(dir, "base", "deployment.yaml"),
        `apiVersion: apps/v1
kind: Deployment
metadata: { name: crime-serve }
spec:
  selector: { matchLabels: { app: crime-serve } }
  template:
    metadata: { labels: { app: crime-serve } }
    spec:
      containers:
        - name: server
          image: crime-serve
          envFrom: [{ configMapRef: { name: crime-serve } }]
`,
      );
      const overlay = "resources: [../base]\nimages:\n  - name: crime-serve\n    newTag: staging\n";
      const reference = `ghcr.io/acme/crime/crime-serve@${DIGEST}`;
      await Deno.writeTextFile(
        join(dir, "overlay", "kustomization.yaml"),
        pinRelease(overlay, reference),
      );
      const { code, stdout, stderr } = await runCommand("kubectl", [
        "kustomize",
        join(dir, "overlay"),
      ], {
        timeoutMs: 60_000,
      });
      assert.equal(code, 0, stderr);
      const docs = parseAllDocuments(stdout).map((d) => d.toJS());
      const deployment = docs.find((d) => d.kind === "Deployment");
      const config = docs.find((d) => d.kind === "ConfigMap");
      assert.equal(deployment.spec.template.spec.containers[0].image, reference);
      assert.deepEqual(config.data, { SERVE_MODEL: "embedded", SERVE_WORKERS: "1" });
      // The hashed name changes with the settings, so the pods roll when it does.
      assert.equal(
        deployment.spec.template.spec.containers[0].envFrom[0].configMapRef.name,
        config.metadata.name,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/**
 * The Kubernetes manifests of deploy/kubernetes, offline: every overlay renders with
 * `kubectl kustomize`, validates against the Kubernetes 1.32 API schemas
 * (kubernetes-validate, strict) and the ServiceMonitor against the Prometheus Operator's
 * CRD schema (@kubernetes-models/prometheus-operator); the production overlay has the
 * facts a deployment relies on, checked against the server's own routes and options.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { OPTIONS } from "../../serve/config.ts";
import { runCommand } from "../../tools/run_command.ts";
import { ROOT } from "../support/containers.ts";
import {
  type K8sObject,
  missingTools,
  overlayNames,
  renderOverlay,
  toolPath,
} from "../support/deploy_tools.ts";
import { harness } from "../support/serve_harness.ts";
import { testBundle } from "../support/test_bundle.ts";
import { RouteTable } from "../../serve/http/route_table.ts";

const skip = await missingTools("kubectl");
if (skip) console.error(`Kubernetes manifest tests skipped: ${skip}`);
const validateSkip = skip ?? await missingTools("kubernetes-validate");
const suffix = (reason: string | undefined) => (reason ? ` (skipped: ${reason})` : "");
const kubectl = (await toolPath("kubectl"))!;
const overlays = overlayNames();

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const one = (objects: K8sObject[], kind: string, name = "crime-serve") => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `no ${kind} ${name}`);
  return found;
};

Deno.test({
  name: `every overlay renders and validates against the Kubernetes 1.32 schemas${
    suffix(validateSkip)
  }`,
  ignore: validateSkip !== undefined,
  async fn() {
    assert.deepEqual(overlays, ["production", "staging"]);
    const scratch = await Deno.makeTempDir({ prefix: "deploy_k8s_" });
    try {
      const files: string[] = [];
      for (const overlay of overlays) {
        const { yaml, objects } = await renderOverlay(kubectl, overlay);
        assert.ok(objects.length >= 9, `${overlay}: ${objects.length} objects`);
        files.push(join(scratch, `${overlay}.yaml`));
        await Deno.writeTextFile(files.at(-1)!, yaml);
      }
      const validator = (await toolPath("kubernetes-validate"))!;
      const run = await runCommand(validator, ["-k", "1.32", "--strict", "--quiet", ...files]);
      // The validator has no CRD schemas: it warns about the ServiceMonitor (checked by the
      // next tests) and must fail nothing.
      assert.equal(run.code, 0, `${run.stdout}${run.stderr}`);
      const unknown = [...`${run.stdout}${run.stderr}`.matchAll(/schema for kind (\w+)/g)]
        .map((m) => m[1]);
      assert.deepEqual([...new Set(unknown)], ["ServiceMonitor"], unknown.join(", "));
      assert.equal(unknown.length, overlays.length, "one warning per overlay");
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});

Deno.test({
  name: `kubernetes-validate rejects a misspelt field, so a pass means something${
    suffix(validateSkip)
  }`,
  ignore: validateSkip !== undefined,
  async fn() {
    const { objects } = await renderOverlay(kubectl, "production");
    const deployment = structuredClone(one(objects, "Deployment"));
    const container = deployment.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    const file = await Deno.makeTempFile({ suffix: ".json" });
    try {
      await Deno.writeTextFile(file, JSON.stringify(deployment));
      const validator = (await toolPath("kubernetes-validate"))!;
      const run = await runCommand(validator, ["-k", "1.32", "--strict", "--quiet", file]);
      assert.notEqual(run.code, 0);
      assert.match(run.stdout + run.stderr, /readinesProbe/);
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name: `the ServiceMonitor validates against its CRD schema and scrapes the Service's port${
    suffix(skip)
  }`,
  ignore: skip !== undefined,
  async fn() {
    for (const overlay of overlays) {
      const { objects } = await renderOverlay(kubectl, overlay);
      const monitor = one(objects, "ServiceMonitor");
      new ServiceMonitor(monitor as ConstructorParameters<typeof ServiceMonitor>[0]).validate();
      const service = one(objects, "Service");
      const ports = service.spec.ports.map((p: { name: string }) => p.name);
      for (const endpoint of monitor.spec.endpoints) {
        assert.ok(ports.includes(endpoint.port), `${overlay}: ${endpoint.port} not in ${ports}`);
        assert.equal(endpoint.path, "/metrics");
      }
      assert.deepEqual(
        monitor.spec.selector.matchLabels,
        service.metadata.labels && {
          "app.kubernetes.io/name": service.metadata.labels["app.kubernetes.io/name"],
        },
      );
    }
    // The CRD schema does reject a bad value: a pass is not vacuous.
    assert.throws(() =>
      new ServiceMonitor({
        metadata: { name: "bad" },
        spec: { selector: {}, endpoints: [{ port: "http", interval: 15 as unknown as string }] },
      }).validate()
    );
  },
});

/** The server's routes, from the app itself. */
async function serverRoutes(): Promise<RouteTable> {
  const { app } = await harness(await testBundle());
  return new RouteTable(app.routes);
}

Deno.test({
  name: `production: image by digest, probes on the server's real routes, resources, locked down${
    suffix(skip)
  }`,
  ignore: skip !== undefined,
  async fn() {
    const { objects } = await renderOverlay(kubectl, "production");
    assert.deepEqual(byKind(objects, "Secret"), [], "no Secret is rendered from the repository");
    const deployment = one(objects, "Deployment");
    assert.equal(deployment.spec.replicas, undefined, "the autoscaler owns the replica count");
    const pod = deployment.spec.template.spec;
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.runAsUser, 65532);
    assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
    assert.ok(
      pod.topologySpreadConstraints.some((t: { topologyKey: string }) =>
        t.topologyKey === "topology.kubernetes.io/zone"
      ),
    );
    const routes = await serverRoutes();
    const { app: unloaded } = await harness(undefined, { load: false });
    for (const container of pod.containers) {
      assert.match(container.image, /@sha256:[0-9a-f]{64}$/, "pinned by digest");
      const security = container.securityContext;
      assert.equal(security.readOnlyRootFilesystem, true);
      assert.equal(security.allowPrivilegeEscalation, false);
      assert.deepEqual(security.capabilities.drop, ["ALL"]);
      assert.notEqual(security.runAsUser ?? pod.securityContext.runAsUser, 0);
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
      assert.ok(container.resources.limits.memory);
      const port = container.ports.find((p: { name: string }) => p.name === "http");
      const configuredPort = container.env.find((e: { name: string }) => e.name === "SERVE_PORT");
      assert.equal(String(port.containerPort), configuredPort.value);
      const probes = {
        startupProbe: "/health",
        livenessProbe: "/health",
        readinessProbe: "/ready",
      } as const;
      for (const [probe, path] of Object.entries(probes)) {
        const get = container[probe].httpGet;
        assert.equal(get.path, path, probe);
        assert.equal(get.port, "http", probe);
        assert.ok(routes.methods(get.path)?.includes("GET"), `${probe}: no GET ${get.path}`);
      }
      // What the probes rely on: liveness holds while no model is loaded, readiness not.
      assert.equal((await unloaded.request(container.livenessProbe.httpGet.path)).status, 200);
      assert.equal((await unloaded.request(container.readinessProbe.httpGet.path)).status, 503);
      // Every variable set is one the server reads (a misspelt one would be ignored).
      const known = new Set(OPTIONS.map((o) => o.env).filter(Boolean));
      known.add("MLFLOW_TRACKING_URI");
      const config = one(objects, "ConfigMap", container.envFrom[0].configMapRef.name);
      for (
        const name of [
          ...container.env.map((e: { name: string }) => e.name),
          ...Object.keys(config.data),
        ]
      ) {
        assert.ok(known.has(name), `${name} is not a server setting`);
      }
      const admin = container.env.find((e: { name: string }) => e.name === "SERVE_ADMIN_TOKEN");
      assert.ok(admin.valueFrom.secretKeyRef.name, "the admin token comes from a Secret");
      assert.equal(admin.valueFrom.secretKeyRef.optional, undefined, "and is required");
      const grace = pod.terminationGracePeriodSeconds;
      const shutdown = Number(config.data.SERVE_SHUTDOWN_TIMEOUT);
      assert.ok(grace > shutdown + container.lifecycle.preStop.sleep.seconds);
    }
  },
});

Deno.test({
  name: `every overlay: MLflow URI, autoscaler bounds within the PDB, the adapter's metric${
    suffix(skip)
  }`,
  ignore: skip !== undefined,
  async fn() {
    const adapter = parse(
      await Deno.readTextFile(join(ROOT, "deploy/kubernetes/prometheus-adapter/values.yaml")),
    );
    const served = adapter.rules.custom.map((r: { name: { as: string } }) => r.name.as);
    for (const overlay of overlays) {
      const { objects } = await renderOverlay(kubectl, overlay);
      const deployment = one(objects, "Deployment");
      const configName = deployment.spec.template.spec.containers[0].envFrom[0].configMapRef.name;
      const uri = one(objects, "ConfigMap", configName).data.MLFLOW_TRACKING_URI;
      assert.match(uri ?? "", /^https?:\/\/[^/]+/, `${overlay}: MLFLOW_TRACKING_URI`);
      const hpa = one(objects, "HorizontalPodAutoscaler");
      const pdb = one(objects, "PodDisruptionBudget");
      assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
      const kept = pdb.spec.minAvailable ?? hpa.spec.minReplicas - pdb.spec.maxUnavailable;
      assert.ok(kept < hpa.spec.minReplicas, `${overlay}: the PDB would block every drain`);
      assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
      const pods = hpa.spec.metrics.find((m: { type: string }) => m.type === "Pods");
      assert.ok(served.includes(pods.pods.metric.name), `${overlay}: no adapter rule serves it`);
      const cpu = hpa.spec.metrics.find((m: { type: string }) => m.type === "Resource");
      assert.equal(cpu.resource.name, "cpu");
      const policies = byKind(objects, "NetworkPolicy");
      assert.ok(policies.some((p) => p.spec.policyTypes.includes("Egress")));
    }
  },
});

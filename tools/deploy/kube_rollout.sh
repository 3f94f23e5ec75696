#!/usr/bin/env bash
# Rolls one release out to one Kubernetes environment and checks it, for the deploy
# workflow (.github/workflows/deploy.yml). The overlay in the checkout is pinned to the
# release (tools/deploy/pin_release.ts: the image by digest, the embedded bundle served),
# applied, and waited for: the Deployment replaces pods a few at a time (maxSurge 25%,
# maxUnavailable 0) and each new pod must pass its readiness probe (/ready) before an old
# one goes. Then the smoke test runs through the Service. When the rollout does not become
# healthy in time or the smoke test fails, the rollout is undone (the previous ReplicaSet:
# the previous image and the model inside it), waited for, and the script exits 1.
#
#   tools/deploy/kube_rollout.sh <staging|production> <image@sha256:...> <bundle.json>
#
# Needs kubectl (with KUBECONFIG set) and deno. The namespace is crime-<environment>, as
# the overlays in deploy/kubernetes/overlays/ set it. ROLLOUT_TIMEOUT (default 10m) bounds
# each wait; SMOKE_PORT (default 18080) is the local end of the port-forward; OVERLAYS
# (default deploy/kubernetes/overlays) is where the environments' overlays are.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage="usage: kube_rollout.sh <staging|production> <image@sha256:...> <bundle.json>"
environment=${1:?$usage}
reference=${2:?$usage}
bundle=${3:?$usage}
case "$environment" in
  staging | production) ;;
  *)
    echo "unknown environment \"$environment\": $usage" >&2
    exit 2
    ;;
esac
overlay="${OVERLAYS:-deploy/kubernetes/overlays}/$environment"
namespace="crime-$environment"
deployment=deployment/crime-serve
timeout=${ROLLOUT_TIMEOUT:-10m}
port=${SMOKE_PORT:-18080}

undo() {
  echo "::error::$1: undoing the rollout of $reference in $namespace"
  # The first rollout of an environment has nothing to undo; say so and fail all the same.
  if kubectl -n "$namespace" rollout undo "$deployment"; then
    kubectl -n "$namespace" rollout status "$deployment" --timeout="$timeout" ||
      echo "::error::the previous release did not become healthy either"
  fi
  exit 1
}

deno run --frozen --allow-read --allow-write --allow-env tools/deploy/pin_release.ts \
  "$overlay" "$reference"
kubectl apply -k "$overlay"
kubectl -n "$namespace" rollout status "$deployment" --timeout="$timeout" ||
  undo "the rollout did not become healthy within $timeout"

kubectl -n "$namespace" port-forward service/crime-serve "$port:80" >/dev/null &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT
# The smoke test waits for /ready, which also waits for the port-forward to listen.
deno run --frozen --allow-net --allow-read --allow-env tools/serve/smoke_test.ts \
  --url "http://127.0.0.1:$port" --expect-bundle "$bundle" ||
  undo "the smoke test failed"
echo "$reference serves in $namespace"

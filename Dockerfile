# The prediction server image, in two targets that share everything but how the server runs:
#
#   binary    (default) the server compiled by `deno compile` into one executable. Compiling
#             downloads Deno's standalone runtime, so this target builds where that download
#             works: GitHub Actions, a developer's machine.
#   deno-run  the same entry point run by `deno run` from sources and npm packages cached at
#             build time. It needs no download beyond the npm registry, so it builds on hosts
#             where the runtime cannot be fetched (the project's own build machines).
#
# Both: a distroless base (no shell), user nonroot (65532), a read-only root filesystem is
# fine (state goes to the /app/state volume), HEALTHCHECK through the server's own
# --healthcheck mode (it passes once the model is loaded), OCI labels, port 8080.
#
#   docker build -t crime-serve .                                     # binary, no bundle
#   docker build --build-arg BUNDLE=models/model_bundle.json -t crime-serve .  # bundle baked in
#   docker build --target deno-run -t crime-serve:deno-run .
#   docker run --read-only --cap-drop=ALL -p 8080:8080 -e SERVE_ADMIN_TOKEN=<16+ chars> \
#     -e MLFLOW_TRACKING_URI=http://mlflow:5000 crime-serve          # serves ...@champion
#   docker run --read-only -p 8080:8080 -e SERVE_ADMIN_TOKEN=<16+ chars> \
#     -v "$PWD/models:/models:ro" -e SERVE_MODEL=/models/model_bundle.json crime-serve
#
# The server listens on 0.0.0.0 in the container, so it requires an admin token.
#
# The base images are build arguments so that hosts without a registry can pass local ones
# (tools/container/base_images.ts builds them); the defaults are the public images.
ARG DENO_IMAGE=docker.io/denoland/deno:debian-2.9.6
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

# Sources and the npm packages the server imports, cached into DENO_DIR. The server gets
# its own deno.json and deno.lock, cut from the project's to the packages it imports (the
# project's lock also pins the training stack, which Deno would install whole).
FROM ${DENO_IMAGE} AS sources
ENV DENO_DIR=/app/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1
WORKDIR /app/src
COPY deno.json deno.lock /app/project/
COPY tools/container/server_config.ts /app/project/tools/container/server_config.ts
RUN deno run --no-config --allow-read=/app/project --allow-write=/app/src \
      /app/project/tools/container/server_config.ts /app/src
COPY pipeline/ pipeline/
COPY serve/ serve/
COPY tools/compile.ts tools/compile.ts
# Where TLS to the registry is re-signed by a local CA, pass that CA bundle as the build
# secret "ca-certificates"; it is used for this step only and never stored in a layer.
RUN --mount=type=secret,id=ca-certificates \
    if [ -f /run/secrets/ca-certificates ]; then export DENO_CERT=/run/secrets/ca-certificates; fi; \
    deno cache --frozen serve/main.ts serve/instances/worker.ts tools/compile.ts
# An optional bundle to bake into the image, as a path in the build context. Without one,
# deno.json stands in as the source (an empty source would copy the whole context).
ARG BUNDLE=
COPY ${BUNDLE:-deno.json} /app/bake/
RUN mkdir -p /app/model /app/state \
    && if [ -n "${BUNDLE}" ]; then cp "/app/bake/$(basename "${BUNDLE}")" /app/model/model_bundle.json; fi

# The compiled binary, with the baked bundle (if any) embedded in it.
FROM sources AS compiled
RUN --mount=type=secret,id=ca-certificates \
    if [ -f /run/secrets/ca-certificates ]; then export DENO_CERT=/run/secrets/ca-certificates; fi; \
    if [ -f /app/model/model_bundle.json ]; then set -- --bundle /app/model/model_bundle.json; fi; \
    deno run --frozen --cached-only --allow-read --allow-write --allow-run --allow-env \
      tools/compile.ts "$@" --output /app/bin/crime-serve

# Everything both targets share.
FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="crime-serve" \
      org.opencontainers.image.description="Predicts violent crimes per population for US communities over HTTP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="CC-BY-4.0 (data)"
COPY --from=sources --chown=65532:65532 /app/state /app/state
# TMPDIR: the connection guard's Unix socket goes in the state volume, writable under a
# read-only root filesystem.
ENV SERVE_HOST=0.0.0.0 \
    SERVE_PORT=8080 \
    TMPDIR=/app/state \
    SERVE_CACHE_DIR=/app/state/model-cache \
    SERVE_PREDICTION_LOG=/app/state/predictions.jsonl \
    SERVE_FEEDBACK_STORE=sqlite:/app/state/feedback.db
VOLUME ["/app/state"]
WORKDIR /app
USER 65532:65532
EXPOSE 8080

FROM runtime AS deno-run
ARG BUNDLE=
COPY --from=sources /usr/bin/deno /app/bin/deno
COPY --from=sources /app/deno-dir /app/deno-dir
COPY --from=sources /app/src /app/src
COPY --from=sources /app/model /app/model
# A baked bundle is served by default; SERVE_MODEL overrides it at run time.
ENV DENO_DIR=/app/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    SERVE_MODEL=${BUNDLE:+/app/model/model_bundle.json}
HEALTHCHECK --start-period=60s --interval=15s --timeout=5s --retries=3 \
  CMD ["/app/bin/deno", "run", "--frozen", "--cached-only", "--no-code-cache", "--config", "/app/src/deno.json", "--allow-net", "--allow-env", "--allow-read", "/app/src/serve/main.ts", "--healthcheck"]
ENTRYPOINT ["/app/bin/deno", "run", "--frozen", "--cached-only", "--no-code-cache", "--config", "/app/src/deno.json", "--allow-net", "--allow-read", "--allow-write", "--allow-env", "/app/src/serve/main.ts"]

FROM runtime AS binary
COPY --from=compiled /app/bin/crime-serve /app/crime-serve
HEALTHCHECK --start-period=60s --interval=15s --timeout=5s --retries=3 \
  CMD ["/app/crime-serve", "--healthcheck"]
ENTRYPOINT ["/app/crime-serve"]

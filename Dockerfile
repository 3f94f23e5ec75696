# The prediction server as one self-contained binary on a minimal, non-root base image.
# The builder compiles serve/main.ts with the model bundle embedded; the final image
# holds only that binary and a writable state directory (bundle cache, prediction log).
#
#   docker build -t crime-serve .                      # embeds models/model_bundle.json
#   docker build --build-arg BUNDLE=path/to/bundle.json -t crime-serve .
#   docker run -p 8080:8080 crime-serve
#   docker run -p 8080:8080 -e SERVE_WORKERS=2 crime-serve   # one instance per CPU core
#   docker run -p 8080:8080 -e SERVE_MODEL=models:/communities-crime@champion \
#     -e MLFLOW_TRACKING_URI=http://mlflow:5000 crime-serve   # serve the registry's champion

FROM denoland/deno:2.9.6 AS builder
WORKDIR /src
COPY deno.json deno.lock ./
COPY pipeline/ pipeline/
COPY serve/ serve/
COPY tools/compile.ts tools/compile.ts
ARG BUNDLE=models/model_bundle.json
COPY ${BUNDLE} build/model_bundle.json
RUN deno run --frozen --allow-read --allow-write --allow-run --allow-env tools/compile.ts \
      --bundle build/model_bundle.json --output /out/crime-serve \
    && mkdir -p /out/state

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=builder --chown=nonroot:nonroot /out/ /app/
ENV SERVE_HOST=0.0.0.0 \
    SERVE_PORT=8080 \
    SERVE_CACHE_DIR=/app/state/model-cache \
    SERVE_PREDICTION_LOG=/app/state/predictions.jsonl
USER nonroot
EXPOSE 8080
# No --start-period: /health answers as soon as the process listens, before the model loads.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/app/crime-serve", "--healthcheck"]
ENTRYPOINT ["/app/crime-serve"]

# Placeholders for the digests: the deploy step passes the built images' digests with
# -var serve_image=... -var mlflow_image=..., which win over this file.
project_id        = "communities-crime-production"
region            = "europe-west1"
github_repository = "communities-crime/communities-crime"
serve_image       = "europe-west1-docker.pkg.dev/communities-crime-production/crime/crime-serve@sha256:0000000000000000000000000000000000000000000000000000000000000000"
mlflow_image      = "europe-west1-docker.pkg.dev/communities-crime-production/crime/crime-mlflow@sha256:0000000000000000000000000000000000000000000000000000000000000000"

# The services' logs (the server's JSON lines, MLflow's) go to a log bucket of their own
# with its retention, besides the project's _Default bucket.
resource "google_logging_project_bucket_config" "services" {
  project        = var.project_id
  location       = var.region
  bucket_id      = "${local.name}-services"
  retention_days = var.log_retention_days
  description    = "Logs of the prediction server and MLflow (${var.environment})"
  depends_on     = [google_project_service.enabled]
}

resource "google_logging_project_sink" "services" {
  project     = var.project_id
  name        = "${local.name}-services"
  destination = "logging.googleapis.com/${google_logging_project_bucket_config.services.id}"
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=(\"${google_cloud_run_v2_service.serve.name}\" OR \"${google_cloud_run_v2_service.mlflow.name}\")",
  ])
  unique_writer_identity = true
}

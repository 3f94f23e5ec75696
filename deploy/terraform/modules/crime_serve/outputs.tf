output "serve_url" {
  description = "The prediction API."
  value       = google_cloud_run_v2_service.serve.uri
}

output "mlflow_url" {
  description = "MLflow, reachable from the VPC only."
  value       = google_cloud_run_v2_service.mlflow.uri
}

output "image_repository" {
  description = "Where the deploy pushes images: <this>/crime-serve@sha256:..."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "dvc_remote" {
  description = "The DVC remote: dvc remote add -d gcs <this>."
  value       = "gs://${google_storage_bucket.dvc.name}"
}

output "mlflow_artifacts_bucket" {
  description = "MLflow's artifact bucket."
  value       = google_storage_bucket.mlflow_artifacts.name
}

output "service_accounts" {
  description = "The workloads' service accounts."
  value = {
    serve    = google_service_account.serve.email
    mlflow   = google_service_account.mlflow.email
    training = google_service_account.training.email
    deployer = google_service_account.deployer.email
  }
}

output "admin_token_secret" {
  description = "The Secret Manager secret holding the server's admin token (gcloud secrets versions access latest --secret <this>)."
  value       = google_secret_manager_secret.admin_token.secret_id
}

output "workload_identity_provider" {
  description = "For google-github-actions/auth: workload_identity_provider."
  value       = google_iam_workload_identity_pool_provider.github.name
}

# One service account per workload, each with the roles on the resources it uses and
# nothing project-wide beyond writing logs and metrics.
resource "google_service_account" "serve" {
  project      = var.project_id
  account_id   = "${local.name}-serve"
  display_name = "Prediction server (${var.environment})"
}

resource "google_service_account" "mlflow" {
  project      = var.project_id
  account_id   = "${local.name}-mlflow"
  display_name = "MLflow tracking server (${var.environment})"
}

# Training (dvc repro, registration, promotion) and the daily monitoring report: the DVC
# remote and the MLflow service.
resource "google_service_account" "training" {
  project      = var.project_id
  account_id   = "${local.name}-training"
  display_name = "Training and monitoring jobs (${var.environment})"
}

# What a deploy needs: push images, roll out the two services as their accounts.
resource "google_service_account" "deployer" {
  project      = var.project_id
  account_id   = "${local.name}-deployer"
  display_name = "Deployments (${var.environment})"
}

resource "google_project_iam_member" "log_writer" {
  for_each = {
    serve    = google_service_account.serve.member
    mlflow   = google_service_account.mlflow.member
    training = google_service_account.training.member
  }
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = each.value
}

# The server's metrics sidecar writes to Managed Service for Prometheus.
resource "google_project_iam_member" "serve_metric_writer" {
  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = google_service_account.serve.member
}

resource "google_secret_manager_secret_iam_member" "serve" {
  for_each = {
    admin_token    = google_secret_manager_secret.admin_token.id
    feedback_store = google_secret_manager_secret.feedback_store.id
  }
  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.serve.member
}

resource "google_secret_manager_secret_iam_member" "mlflow" {
  for_each = {
    db_password   = google_secret_manager_secret.mlflow_db_password.id
    artifacts_key = google_secret_manager_secret.mlflow_artifacts_key.id
  }
  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.mlflow.member
}

resource "google_storage_bucket_iam_member" "mlflow_artifacts" {
  bucket = google_storage_bucket.mlflow_artifacts.name
  role   = "roles/storage.objectUser"
  member = google_service_account.mlflow.member
}

resource "google_storage_bucket_iam_member" "training_dvc" {
  bucket = google_storage_bucket.dvc.name
  role   = "roles/storage.objectUser"
  member = google_service_account.training.member
}

resource "google_artifact_registry_repository_iam_member" "deployer_push" {
  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.deployer.member
}

resource "google_artifact_registry_repository_iam_member" "runtime_pull" {
  for_each = {
    serve  = google_service_account.serve.member
    mlflow = google_service_account.mlflow.member
  }
  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = each.value
}

resource "google_cloud_run_v2_service_iam_member" "deployer" {
  for_each = {
    serve  = google_cloud_run_v2_service.serve.name
    mlflow = google_cloud_run_v2_service.mlflow.name
  }
  project  = var.project_id
  location = var.region
  name     = each.value
  role     = "roles/run.developer"
  member   = google_service_account.deployer.member
}

# A deploy creates revisions that run as the runtime accounts.
resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = {
    serve  = google_service_account.serve.name
    mlflow = google_service_account.mlflow.name
  }
  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.deployer.member
}

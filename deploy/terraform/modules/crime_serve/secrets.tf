# Secret Manager holds every secret the services read; Terraform generates the values
# (random_password, the HMAC key), so none is ever written in code or passed on a command
# line. Each service account may read only its own secrets (service_accounts.tf).
resource "random_password" "admin_token" {
  length  = 40
  special = false
}

resource "google_secret_manager_secret" "admin_token" {
  project   = var.project_id
  secret_id = "${local.name}-serve-admin-token"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "admin_token" {
  secret      = google_secret_manager_secret.admin_token.id
  secret_data = random_password.admin_token.result
}

# The server's SERVE_FEEDBACK_STORE: the whole URI, as it carries the password.
resource "google_secret_manager_secret" "feedback_store" {
  project   = var.project_id
  secret_id = "${local.name}-serve-feedback-store"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "feedback_store" {
  secret = google_secret_manager_secret.feedback_store.id
  secret_data = format(
    "postgresql://%s:%s@%s:5432/%s?sslmode=require",
    google_sql_user.feedback.name,
    random_password.feedback_db.result,
    google_sql_database_instance.postgres.private_ip_address,
    google_sql_database.feedback.name,
  )
}

resource "google_secret_manager_secret" "mlflow_db_password" {
  project   = var.project_id
  secret_id = "${local.name}-mlflow-db-password"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "mlflow_db_password" {
  secret      = google_secret_manager_secret.mlflow_db_password.id
  secret_data = random_password.mlflow_db.result
}

# MLflow's image reaches the artifact bucket through Cloud Storage's S3-compatible API
# (boto3), with an HMAC key of MLflow's own service account.
resource "google_storage_hmac_key" "mlflow" {
  project               = var.project_id
  service_account_email = google_service_account.mlflow.email
}

resource "google_secret_manager_secret" "mlflow_artifacts_key" {
  project   = var.project_id
  secret_id = "${local.name}-mlflow-artifacts-key"
  labels    = local.labels
  replication {
    auto {}
  }
  depends_on = [google_project_service.enabled]
}

resource "google_secret_manager_secret_version" "mlflow_artifacts_key" {
  secret      = google_secret_manager_secret.mlflow_artifacts_key.id
  secret_data = google_storage_hmac_key.mlflow.secret
}

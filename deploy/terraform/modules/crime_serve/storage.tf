# Two buckets: the DVC remote (data and pipeline outputs, `dvc remote add -d gcs
# gs://<bucket>`), and MLflow's artifact store (model bundles). Uniform access, no public
# access, versioned, so an overwritten or deleted object can be restored.
resource "google_storage_bucket" "dvc" {
  project                     = var.project_id
  name                        = "${var.project_id}-dvc"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 5
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket" "mlflow_artifacts" {
  project                     = var.project_id
  name                        = "${var.project_id}-mlflow-artifacts"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

# Who read or wrote which object, in Cloud Audit Logs (rather than per-bucket access logs).
resource "google_project_iam_audit_config" "storage" {
  project = var.project_id
  service = "storage.googleapis.com"
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

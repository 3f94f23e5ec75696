# MLflow (container/mlflow) on Cloud Run: backend store in Cloud SQL, artifacts in the
# bucket through the S3-compatible API, served by MLflow itself (--serve-artifacts), so
# only MLflow's account touches the bucket. MLflow has no authentication of its own: its
# ingress is internal, so only the VPC (the server; training run inside it) reaches it.
resource "google_cloud_run_v2_service" "mlflow" {
  project  = var.project_id
  name     = "crime-mlflow"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  labels   = local.labels

  deletion_protection = var.deletion_protection

  template {
    service_account                  = google_service_account.mlflow.email
    max_instance_request_concurrency = 20
    timeout                          = "300s"
    labels                           = local.labels

    scaling {
      min_instance_count = 1
      max_instance_count = var.mlflow_max_instances
    }

    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.vpc.id
        subnetwork = google_compute_subnetwork.run.id
      }
    }

    containers {
      name  = "mlflow"
      image = var.mlflow_image

      ports {
        name           = "http1"
        container_port = 5000
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "2Gi"
        }
      }

      env {
        name = "MLFLOW_BACKEND_STORE_URI"
        value = format(
          "postgresql://%s@%s:5432/%s",
          google_sql_user.mlflow.name,
          google_sql_database_instance.postgres.private_ip_address,
          google_sql_database.mlflow.name,
        )
      }
      env {
        name = "MLFLOW_BACKEND_STORE_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.mlflow_db_password.secret_id
            version = "latest"
          }
        }
      }
      env {
        name  = "MLFLOW_ARTIFACTS_DESTINATION"
        value = "s3://${google_storage_bucket.mlflow_artifacts.name}/mlflow"
      }
      env {
        name  = "MLFLOW_S3_ENDPOINT_URL"
        value = "https://storage.googleapis.com"
      }
      env {
        name  = "AWS_ACCESS_KEY_ID"
        value = google_storage_hmac_key.mlflow.access_id
      }
      env {
        name = "AWS_SECRET_ACCESS_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.mlflow_artifacts_key.secret_id
            version = "latest"
          }
        }
      }
      # The Host header is the service's run.app name, known only once it exists.
      env {
        name  = "MLFLOW_ALLOWED_HOSTS"
        value = "crime-mlflow-*.run.app,localhost:5000"
      }
      env {
        name  = "MLFLOW_WORKERS"
        value = "2"
      }

      # The entrypoint waits for the database (MLFLOW_DB_WAIT_SECONDS) and migrates it.
      startup_probe {
        http_get {
          path = "/health"
          port = 5000
        }
        period_seconds    = 5
        timeout_seconds   = 4
        failure_threshold = 48
      }

      liveness_probe {
        http_get {
          path = "/health"
          port = 5000
        }
        period_seconds  = 30
        timeout_seconds = 5
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.mlflow,
    google_secret_manager_secret_version.mlflow_db_password,
    google_secret_manager_secret_version.mlflow_artifacts_key,
  ]
}

# Network-gated (internal ingress): callers inside the VPC need no Google identity token,
# which the server's static MLFLOW_TRACKING_TOKEN could not refresh.
resource "google_cloud_run_v2_service_iam_member" "mlflow_vpc_callers" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.mlflow.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

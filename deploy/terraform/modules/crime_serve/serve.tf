# The prediction server (Dockerfile, target binary) on Cloud Run: one server instance per
# container instance on one vCPU, the same unit as a Kubernetes pod, with the bounds and
# concurrency of deploy/kubernetes/README.md ("Capacity").
resource "google_cloud_run_v2_service" "serve" {
  project  = var.project_id
  name     = "crime-serve"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"
  labels   = local.labels
  # The provider's own guard against terraform destroy, off where the database's is.
  deletion_protection = var.deletion_protection

  template {
    service_account                  = google_service_account.serve.email
    max_instance_request_concurrency = var.serve_concurrency
    timeout                          = "30s"
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    labels                           = local.labels

    scaling {
      min_instance_count = var.serve_min_instances
      max_instance_count = var.serve_max_instances
    }

    # All egress through the VPC: MLflow's internal ingress accepts only traffic from it,
    # and the feedback store has a private address. The server needs no internet.
    vpc_access {
      egress = "ALL_TRAFFIC"
      network_interfaces {
        network    = google_compute_network.vpc.id
        subnetwork = google_compute_subnetwork.run.id
      }
    }

    containers {
      name  = "server"
      image = var.serve_image

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.serve_cpu
          memory = var.serve_memory
        }
        # Always allocated: the prediction log, the feedback batches and the drift windows
        # are written off the request path.
        cpu_idle          = false
        startup_cpu_boost = true
      }

      env {
        name  = "SERVE_MODEL"
        value = "models:/communities-crime@champion"
      }
      env {
        name  = "MLFLOW_TRACKING_URI"
        value = google_cloud_run_v2_service.mlflow.uri
      }
      env {
        name  = "SERVE_RELOAD_INTERVAL"
        value = "30"
      }
      env {
        name  = "SERVE_WORKERS"
        value = "1"
      }
      # Cloud Run's front end bounds connections, header and request times and concurrency,
      # so the server's own connection guard is off (a few percent more throughput).
      env {
        name  = "SERVE_MAX_CONNECTIONS"
        value = "0"
      }
      env {
        name  = "SERVE_HEADER_TIMEOUT"
        value = "0"
      }
      env {
        name  = "SERVE_REQUEST_TIMEOUT"
        value = "0"
      }
      env {
        name  = "SERVE_IDLE_TIMEOUT"
        value = "0"
      }
      # The state volume is memory: 3 x 32 MiB of prediction log at most.
      env {
        name  = "SERVE_PREDICTION_LOG_MAX_BYTES"
        value = "33554432"
      }
      env {
        name  = "SERVE_PREDICTION_LOG_FILES"
        value = "2"
      }
      env {
        name = "SERVE_ADMIN_TOKEN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.admin_token.secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "SERVE_FEEDBACK_STORE"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.feedback_store.secret_id
            version = "latest"
          }
        }
      }

      volume_mounts {
        name       = "state"
        mount_path = "/app/state"
      }

      # Cloud Run has no readiness probe: traffic starts once the startup probe passes, so
      # it asks /ready (a model is loaded), which also keeps a revision that cannot load
      # its model from taking traffic. Up to 240 s for the download from MLflow.
      startup_probe {
        http_get {
          path = "/ready"
          port = 8080
        }
        period_seconds    = 4
        timeout_seconds   = 3
        failure_threshold = 60
      }

      liveness_probe {
        http_get {
          path = "/health"
          port = 8080
        }
        period_seconds    = 10
        timeout_seconds   = 3
        failure_threshold = 3
      }
    }

    # Managed Service for Prometheus' Cloud Run sidecar: scrapes the server's /metrics
    # (port 8080) for the PromQL alert policies of monitoring.tf.
    containers {
      name       = "metrics"
      image      = var.metrics_sidecar_image
      depends_on = ["server"]
      resources {
        limits = {
          cpu    = "500m"
          memory = "256Mi"
        }
      }
    }

    volumes {
      name = "state"
      empty_dir {
        medium     = "MEMORY"
        size_limit = "256Mi"
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.serve,
    google_secret_manager_secret_version.admin_token,
    google_secret_manager_secret_version.feedback_store,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "serve_public" {
  count    = var.serve_public ? 1 : 0
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.serve.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "serve_invokers" {
  for_each = toset(var.serve_invokers)
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.serve.name
  role     = "roles/run.invoker"
  member   = each.value
}

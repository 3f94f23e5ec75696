# PostgreSQL for MLflow's backend store (database mlflow) and the server's feedback store
# (database feedback, shared by every instance). Private address only, TLS only, backups
# with point-in-time recovery.
resource "google_sql_database_instance" "postgres" {
  project             = var.project_id
  name                = local.name
  region              = var.region
  database_version    = "POSTGRES_15"
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.sql_tier
    availability_type = var.sql_high_availability ? "REGIONAL" : "ZONAL"
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.vpc.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day  = 7
      hour = 4
    }

    insights_config {
      query_insights_enabled = true
    }

    # Logged for audit; the statements themselves are not (they would carry feedback values).
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_duration"
      value = "on"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.sql]
}

resource "google_sql_database" "mlflow" {
  project  = var.project_id
  instance = google_sql_database_instance.postgres.name
  name     = "mlflow"
}

resource "google_sql_database" "feedback" {
  project  = var.project_id
  instance = google_sql_database_instance.postgres.name
  name     = "feedback"
}

# Passwords are generated here and go straight to Secret Manager (secrets.tf): none is in
# the code. They are in the Terraform state, which is why the state bucket is private.
resource "random_password" "mlflow_db" {
  length  = 32
  special = false
}

resource "random_password" "feedback_db" {
  length  = 32
  special = false
}

resource "google_sql_user" "mlflow" {
  project  = var.project_id
  instance = google_sql_database_instance.postgres.name
  name     = "mlflow"
  password = random_password.mlflow_db.result
}

resource "google_sql_user" "feedback" {
  project  = var.project_id
  instance = google_sql_database_instance.postgres.name
  name     = "feedback"
  password = random_password.feedback_db.result
}

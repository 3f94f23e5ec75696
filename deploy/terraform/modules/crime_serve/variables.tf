variable "project_id" {
  description = "The GCP project of the environment (one project per environment)."
  type        = string
}

variable "region" {
  description = "Region of every regional resource: Cloud Run, Cloud SQL, Artifact Registry, buckets."
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "staging or production: part of every name and label."
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "serve_image" {
  description = "The prediction server's image, by digest: <region>-docker.pkg.dev/<project>/crime/crime-serve@sha256:<digest>. The deploy step sets it."
  type        = string
  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.serve_image))
    error_message = "serve_image must be pinned by digest (…@sha256:<64 hex digits>), never by a tag."
  }
}

variable "mlflow_image" {
  description = "The MLflow image (container/mlflow), by digest."
  type        = string
  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.mlflow_image))
    error_message = "mlflow_image must be pinned by digest (…@sha256:<64 hex digits>)."
  }
}

variable "serve_min_instances" {
  description = "Fewest server instances kept warm (README: Capacity)."
  type        = number
}

variable "serve_max_instances" {
  description = "Most server instances: the stated peak over the per-instance target, plus headroom (README: Capacity)."
  type        = number
}

variable "serve_concurrency" {
  description = "Requests in flight per server instance before Cloud Run sends the next one elsewhere (README: Capacity)."
  type        = number
  default     = 16
}

variable "serve_cpu" {
  description = "vCPUs of a server instance: one, as it runs one server instance (SERVE_WORKERS=1)."
  type        = string
  default     = "1"
}

variable "serve_memory" {
  description = "Memory of a server instance, including the in-memory /app/state volume."
  type        = string
  default     = "1Gi"
}

variable "serve_public" {
  description = "Whether anyone on the internet may call the prediction API (roles/run.invoker for allUsers); else only serve_invokers."
  type        = bool
  default     = false
}

variable "serve_invokers" {
  description = "Principals allowed to call the prediction API when it is not public, e.g. serviceAccount:client@project.iam.gserviceaccount.com."
  type        = list(string)
  default     = []
}

variable "mlflow_max_instances" {
  description = "Most MLflow instances."
  type        = number
  default     = 2
}

variable "sql_tier" {
  description = "Cloud SQL machine tier of MLflow's backend store and the feedback store."
  type        = string
  default     = "db-custom-1-3840"
}

variable "sql_high_availability" {
  description = "A regional (two-zone) Cloud SQL instance."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the database, the buckets' contents and the Cloud Run services from terraform destroy."
  type        = bool
  default     = true
}

variable "network_cidr" {
  description = "The subnet of the VPC that Cloud Run's Direct VPC egress uses."
  type        = string
  default     = "10.20.0.0/24"
}

variable "log_retention_days" {
  description = "Days the services' logs are kept in their own log bucket."
  type        = number
  default     = 30
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>) that alerts go to."
  type        = list(string)
  default     = []
}

variable "latency_objective_ms" {
  description = "The latency objective: 99 % of requests within this many milliseconds (as monitoring/prometheus/rules)."
  type        = number
  default     = 25
}

variable "metrics_sidecar_image" {
  description = "Managed Service for Prometheus' Cloud Run sidecar, pinned."
  type        = string
  default     = "us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.2.0"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may deploy and train, through Workload Identity Federation."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

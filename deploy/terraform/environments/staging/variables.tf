variable "project_id" {
  description = "The environment's GCP project."
  type        = string
}

variable "region" {
  description = "Region of every regional resource."
  type        = string
}

variable "serve_image" {
  description = "The server image by digest; the deploy step passes it (-var serve_image=...@sha256:...)."
  type        = string
}

variable "mlflow_image" {
  description = "The MLflow image by digest."
  type        = string
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channels for the alerts."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows deploy and train."
  type        = string
}

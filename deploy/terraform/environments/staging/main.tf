# Staging: small bounds, a private API (callers need roles/run.invoker), a zonal database
# that terraform destroy may remove.
module "crime" {
  source = "../../modules/crime_serve"

  project_id            = var.project_id
  region                = var.region
  environment           = "staging"
  serve_image           = var.serve_image
  mlflow_image          = var.mlflow_image
  notification_channels = var.notification_channels
  github_repository     = var.github_repository

  serve_min_instances   = 1
  serve_max_instances   = 3
  serve_concurrency     = 16
  serve_public          = false
  sql_tier              = "db-custom-1-3840"
  sql_high_availability = false
  deletion_protection   = false
  log_retention_days    = 14
}

output "serve_url" {
  description = "The prediction API."
  value       = module.crime.serve_url
}

output "image_repository" {
  description = "Where the deploy pushes images."
  value       = module.crime.image_repository
}

output "dvc_remote" {
  description = "The DVC remote."
  value       = module.crime.dvc_remote
}

output "workload_identity_provider" {
  description = "For the workflows' google-github-actions/auth step."
  value       = module.crime.workload_identity_provider
}

output "service_accounts" {
  description = "The workloads' service accounts."
  value       = module.crime.service_accounts
}

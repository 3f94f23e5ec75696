# The images of the server and MLflow. Tags are immutable: a deploy names a digest, and a
# tag once pushed never points elsewhere.
resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = "crime"
  description   = "Images of the prediction server and MLflow (${var.environment})"
  format        = "DOCKER"
  labels        = local.labels

  docker_config {
    immutable_tags = true
  }

  cleanup_policies {
    id     = "keep-recent-versions"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }

  depends_on = [google_project_service.enabled]
}

# A private network: Cloud SQL has a private address only, and both Cloud Run services
# reach it (and each other) through Direct VPC egress.
resource "google_compute_network" "vpc" {
  project                 = var.project_id
  name                    = local.name
  auto_create_subnetworks = false
  depends_on              = [google_project_service.enabled]
}

resource "google_compute_subnetwork" "run" {
  project       = var.project_id
  name          = "${local.name}-run"
  region        = var.region
  network       = google_compute_network.vpc.id
  ip_cidr_range = var.network_cidr
  # Requests to *.run.app from the VPC stay internal, which MLflow's internal ingress needs.
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Nothing listens in the VPC: Cloud Run only sends from it, Cloud SQL is peered. Ingress
# is denied outright rather than left to the implied rule.
resource "google_compute_firewall" "deny_ingress" {
  project   = var.project_id
  name      = "${local.name}-deny-ingress"
  network   = google_compute_network.vpc.id
  direction = "INGRESS"
  priority  = 65000
  deny {
    protocol = "all"
  }
  source_ranges = ["0.0.0.0/0"]
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_global_address" "sql" {
  project       = var.project_id
  name          = "${local.name}-sql"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.vpc.id
}

resource "google_service_networking_connection" "sql" {
  network                 = google_compute_network.vpc.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.sql.name]
}

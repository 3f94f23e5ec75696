terraform {
  required_version = ">= 1.9.0, < 2.0.0"
  # Exact versions: a provider upgrade is a reviewed change of this file.
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "6.50.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "3.7.2"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
  default_labels = {
    app = "communities-crime"
  }
}

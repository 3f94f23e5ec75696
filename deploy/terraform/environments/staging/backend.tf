# State in a versioned, private bucket of the staging project, created once before the
# first init (deploy/terraform/README.md, "Bootstrap"). No credential here: terraform uses
# the caller's Application Default Credentials (Workload Identity in CI).
terraform {
  backend "gcs" {
    bucket = "communities-crime-staging-tfstate"
    prefix = "crime/staging"
  }
}

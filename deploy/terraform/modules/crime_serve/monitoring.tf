# Alerts mirror monitoring/prometheus/rules: each alerting rule there is a PromQL alert
# policy here, over the series the metrics sidecar sends to Managed Service for
# Prometheus (alert_rules.json: the rules with their recording rules inlined, written by
# `deno task deploy:alert-rules` and kept current by tests/deploy/terraform_test.ts). The
# two rules about the scrape itself (CrimeServeDown, CrimeServeModelNotReady) are uptime
# checks of /health and /ready from outside.
locals {
  alert_rules = { for rule in jsondecode(file("${path.module}/alert_rules.json")) : rule.name => rule }
  serve_host  = trimprefix(google_cloud_run_v2_service.serve.uri, "https://")
  uptime_checks = {
    health = { path = "/health", alert = "CrimeServeDown", severity = "page" }
    ready  = { path = "/ready", alert = "CrimeServeModelNotReady", severity = "page" }
  }
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_monitoring_uptime_check_config" "serve" {
  for_each     = local.uptime_checks
  project      = var.project_id
  display_name = "${local.name} ${each.value.path}"
  timeout      = "10s"
  period       = "60s"

  http_check {
    path           = each.value.path
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"
    accepted_response_status_codes {
      status_value = 200
    }
    # A private service is asked with an identity token of the monitoring agent.
    service_agent_authentication {
      type = "OIDC_TOKEN"
    }
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = local.serve_host
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_cloud_run_v2_service_iam_member" "uptime_checks" {
  count    = var.serve_public ? 0 : 1
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.serve.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"
}

resource "google_monitoring_alert_policy" "uptime" {
  for_each              = local.uptime_checks
  project               = var.project_id
  display_name          = "${each.value.alert} (${var.environment})"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = each.value.severity == "page" ? "CRITICAL" : "WARNING"
  user_labels = merge(local.labels, {
    severity = each.value.severity
  })

  conditions {
    display_name = "${each.value.path} fails from the uptime checkers"
    condition_threshold {
      filter = join(" AND ", [
        "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\"",
        "resource.type=\"uptime_url\"",
        "metric.label.check_id=\"${google_monitoring_uptime_check_config.serve[each.key].uptime_check_id}\"",
      ])
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = each.key == "health" ? "120s" : "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.project_id", "resource.label.host"]
      }
      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "GET ${each.value.path} of ${google_cloud_run_v2_service.serve.uri} fails from more than one uptime checker region (${each.value.alert} of monitoring/prometheus/rules)."
  }
}

resource "google_monitoring_alert_policy" "rules" {
  for_each              = local.alert_rules
  project               = var.project_id
  display_name          = "${each.key} (${var.environment})"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = each.value.severity == "page" ? "CRITICAL" : "WARNING"
  user_labels = merge(local.labels, {
    severity = each.value.severity
    action   = each.value.action == "" ? "none" : each.value.action
  })

  conditions {
    display_name = each.key
    condition_prometheus_query_language {
      query               = each.value.expr
      duration            = each.value.duration
      evaluation_interval = "60s"
      rule_group          = "crime-serve"
      alert_rule          = each.key
      labels = {
        severity = each.value.severity
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = each.value.description
  }

  depends_on = [google_project_service.enabled]
}

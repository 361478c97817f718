// Package delivery computes the DORA software delivery metrics from deployments:
// deployment frequency, lead time for changes, change failure rate and failed
// deployment recovery time, each with its DORA performance band (DESIGN.md section 3,
// "Delivery (DORA)"; docs/delivery.md).
package delivery

import (
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/query"
)

// Metric names.
const (
	Deployments         = "deployments"
	DeploymentFrequency = "deployment_frequency"
	LeadTime            = "lead_time"
	ChangeFailureRate   = "change_failure_rate"
	FailedDeployments   = "failed_deployments"
	RecoveryTime        = "recovery_time"
)

// Metrics lists the delivery metrics.
func Metrics() []string {
	return []string{DeploymentFrequency, LeadTime, ChangeFailureRate, RecoveryTime, Deployments, FailedDeployments}
}

// dimensions deployments can be grouped and filtered by.
var dimensions = query.Dimensions{
	"service":     "d.service",
	"team":        "d.team",
	"environment": "d.environment",
	"status":      "d.status",
	"source":      "d.source",
}

// Dimensions lists what delivery queries can be grouped and filtered by.
func Dimensions() []string { return dimensions.Names() }

// Production is the environment DORA measures. Unless a query filters or groups by
// environment, only deployments to it count.
const Production = "production"

// A deployment failed when its status is failed or rolled_back, or when an incident
// names it in caused_by_deployment, by id or as "source:id" (for ids that repeat
// across sources). Queries count the first kind in SQL and find the second from the
// incidents side (linked.go): far fewer incidents name deployments than there are
// deployments.

func unknownMetric(metric string) error {
	return fmt.Errorf("unknown delivery metric %q; use one of %s", metric, strings.Join(Metrics(), ", "))
}

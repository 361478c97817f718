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

// failedSQL says whether deployment d failed: its status says so, or an incident names
// it in caused_by_deployment (by id, or as "source:id" when ids repeat across sources).
const failedSQL = `(d.status IN ('failed', 'rolled_back') OR EXISTS (SELECT 1 FROM incidents i WHERE i.caused_by_deployment IN (d.id, d.source || ':' || d.id)))`

func unknownMetric(metric string) error {
	return fmt.Errorf("unknown delivery metric %q; use one of %s", metric, strings.Join(Metrics(), ", "))
}

package delivery

import (
	"github.com/kaizenops/suite/pkg/catalog"
	"github.com/kaizenops/suite/pkg/models"
)

// Catalog documents the delivery metrics.
func Catalog() []catalog.Entry {
	dims := Dimensions()
	const prod = " Only production deployments count unless the query filters or groups by environment."
	entry := func(metric, name, formula, unit, stat, dir, desc string) catalog.Entry {
		return catalog.Entry{QueryType: models.QueryTypeDelivery, Metric: metric, Name: name, Family: "Delivery (DORA)",
			Formula: formula, Unit: unit, DefaultStat: stat, Direction: dir, Description: desc + prod, Dimensions: dims,
			Source: "DORA metrics as defined in the " + BandSource + "; bands: docs/delivery.md"}
	}
	return []catalog.Entry{
		entry(DeploymentFrequency, "Deployment frequency", "deployments in the bucket ÷ days of the bucket in the range", "short", "", "higher",
			"How often changes reach production, per day, whatever the deployment's outcome. Band: elite at least daily, high at least weekly, medium at least monthly (30 days), low below."),
		entry(LeadTime, "Lead time for changes", "deployed_at − commit_at of successful deployments", "s", "median", "lower",
			"Time from the first commit of a change to its successful deployment. Deployments without commit_at are left out. Band: elite < 1 day, high ≤ 1 week, medium ≤ 30 days, low above."),
		entry(ChangeFailureRate, "Change failure rate", "failed deployments ÷ deployments; failed = status failed or rolled_back, or named by an incident's caused_by_deployment", "percentunit", "", "lower",
			"Share of deployments that caused a failure in production. No value for a bucket without deployments. Band: elite ≤ 5%, high ≤ 10%, medium ≤ 20%, low above (the report's 5/20/10/40% sorted)."),
		entry(RecoveryTime, "Failed deployment recovery time", "first of (next non-failed deployment of the same service and environment, resolution of an incident naming it) − deployed_at of the failed deployment", "s", "median", "lower",
			"How long a failed deployment's damage lasted. Failures not yet recovered are left out until they are. Band: elite < 1 hour, high < 1 day, medium < 1 week, low above."),
		entry(Deployments, "Deployments", "count of deployments in the bucket", "short", "count", "",
			"Deployment volume, every outcome; empty buckets are 0."),
		entry(FailedDeployments, "Failed deployments", "count of failed deployments in the bucket (same definition as the change failure rate)", "short", "count", "lower",
			"The numerator of the change failure rate; empty buckets are 0."),
	}
}

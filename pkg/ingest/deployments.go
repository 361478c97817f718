package ingest

// Deployment statuses (DESIGN.md section 2). A deployment counts as failed for DORA
// when its status is failed or rolled_back, or when an incident names it.
const (
	DeploymentSuccess    = "success"
	DeploymentFailed     = "failed"
	DeploymentRolledBack = "rolled_back"
)

// deploymentKind: one deployment of a service to an environment. commit_at is the
// first commit of the change (lead time for changes starts there); it may be unknown,
// but never after the deployment.
func deploymentKind() Kind {
	return Kind{
		Name:  "deployments",
		Table: "deployments",
		Key:   []string{"source", "id"},
		Fields: []Field{
			{Name: "source", Type: String, Default: "api"},
			{Name: "id", Type: String, Required: true},
			{Name: "service", Type: String},
			{Name: "team", Type: String},
			{Name: "environment", Type: String},
			{Name: "version", Type: String},
			{Name: "commit_at", Type: Time},
			{Name: "deployed_at", Type: Time, Required: true},
			// A sender that reports only what reached production may leave status out.
			{Name: "status", Type: Enum, Enum: []string{DeploymentSuccess, DeploymentFailed, DeploymentRolledBack}, Default: DeploymentSuccess},
			{Name: "labels", Type: Labels},
		},
		Check:       checkDeploymentTimes,
		BeforeWrite: markReplacedDeploymentDays,
		AfterWrite:  FoldDeploymentDays,
	}
}

func checkDeploymentTimes(r Record) *FieldError {
	commit, okC := r.Time("commit_at")
	deployed, okD := r.Time("deployed_at")
	if okC && okD && commit > deployed {
		return &FieldError{Field: "commit_at", Reason: "commit_at " + fmtMs(commit) + " is after deployed_at " + fmtMs(deployed)}
	}
	return nil
}

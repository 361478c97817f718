package store

// EventTables lists the tables whose row counts the health check reports.
// A migration that adds an event kind adds its table here.
func EventTables() []string {
	return []string{
		"incidents",
		"deployments",
		"usage_events",
		"headcounts",
		"work_items",
		"work_item_transitions",
		"kpi_samples",
		"sli_samples",
		"model_observations",
		"model_outcomes",
		"kaizen_events",
		"alert_events",
		"postmortems",
		"action_items",
	}
}

package store

// EventTables lists the tables whose row counts the health check reports.
// A migration that adds an event kind adds its table here.
func EventTables() []string {
	return []string{"incidents"}
}

package models

// KPIOptions are the options of KPI queries.
type KPIOptions struct{}

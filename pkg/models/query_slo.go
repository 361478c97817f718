package models

// SLOOptions are the options of SLO and SLA queries.
type SLOOptions struct{}

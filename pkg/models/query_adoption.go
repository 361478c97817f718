package models

// AdoptionOptions are the options of adoption metrics.
type AdoptionOptions struct{}

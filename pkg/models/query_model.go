package models

// ModelOptions are the options of ML model drift, performance and fairness queries.
type ModelOptions struct{}

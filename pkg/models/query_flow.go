package models

// FlowOptions are the options of value stream and flow queries.
type FlowOptions struct{}

package models

// SPCOptions are the options of control chart (SPC) queries.
type SPCOptions struct{}

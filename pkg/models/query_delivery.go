package models

// DeliveryOptions are the options of DORA delivery metrics.
type DeliveryOptions struct{}

package models

// DeliveryOptions are the options of DORA delivery metrics (query type "delivery").
type DeliveryOptions struct {
	// Band returns each value's DORA performance band instead of the value:
	// 4 elite, 3 high, 2 medium, 1 low, with value mappings that show the name.
	Band bool `json:"band,omitempty"`
}

package models

// AdoptionOptions are the options of adoption metrics (query type "adoption").
type AdoptionOptions struct {
	// Window is the activity window of adoption_rate and feature_adoption: how far back
	// from each point a use counts as active, "1d", "7d" or "30d" (default "30d").
	Window string `json:"window,omitempty"`
	// Weeks is how many weeks since first use a retention table shows (default 12, 1..52).
	Weeks int `json:"weeks,omitempty"`
}

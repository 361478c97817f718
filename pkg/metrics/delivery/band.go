package delivery

import "time"

// Band is a DORA performance level. Higher is better, so alert rules and thresholds
// read naturally ("band below 3" means worse than high).
type Band int

const (
	NoBand Band = 0
	Low    Band = 1
	Medium Band = 2
	High   Band = 3
	Elite  Band = 4
)

// Name is the band's name as DORA writes it.
func (b Band) Name() string {
	switch b {
	case Elite:
		return "Elite"
	case High:
		return "High"
	case Medium:
		return "Medium"
	case Low:
		return "Low"
	}
	return ""
}

// Color is the Grafana palette color of the band (with the name, never color alone).
func (b Band) Color() string {
	switch b {
	case Elite:
		return "green"
	case High:
		return "blue"
	case Medium:
		return "orange"
	case Low:
		return "red"
	}
	return ""
}

const (
	day   = 24 * time.Hour
	week  = 7 * day
	month = 30 * day
)

// BandSource names the table the thresholds come from.
const BandSource = "DORA, Accelerate State of DevOps Report 2024 (Google Cloud), software delivery performance levels table"

// The thresholds follow the 2024 report's performance levels:
//
//	                                 elite              high                   medium                  low
//	deployment frequency             on demand          once/day .. once/week  once/week .. once/month once/month .. once/6 months
//	change lead time                 < 1 day            1 day .. 1 week        1 week .. 1 month       1 .. 6 months
//	change fail rate                 5%                 20%                    10%                     40%
//	failed deployment recovery time  < 1 hour           < 1 day                < 1 day                 1 week .. 1 month
//
// The levels are clusters found over all four metrics together, so a single metric's
// column need not be ordered: medium's change fail rate is below high's, and high and
// medium share a recovery time. A per-metric band needs ordered bounds, so:
// frequency and lead time use the ranges as written, a boundary going to the better
// band (a month is 30 days); change fail rate uses the published rates sorted as upper
// bounds (elite ≤ 5%, high ≤ 10%, medium ≤ 20%, low above); recovery time uses
// < 1 hour, < 1 day, and < 1 week for medium (the gap up to low's "1 week or more").

// FrequencyBand classifies deployments per day.
func FrequencyBand(perDay float64) Band {
	switch {
	case perDay >= 1:
		return Elite
	case perDay >= 1.0/7:
		return High
	case perDay >= 1.0/30:
		return Medium
	}
	return Low
}

// LeadTimeBand classifies a lead time for changes in seconds.
func LeadTimeBand(seconds float64) Band {
	switch {
	case seconds < day.Seconds():
		return Elite
	case seconds <= week.Seconds():
		return High
	case seconds <= month.Seconds():
		return Medium
	}
	return Low
}

// ChangeFailureBand classifies a change failure rate (0..1).
func ChangeFailureBand(rate float64) Band {
	switch {
	case rate <= 0.05:
		return Elite
	case rate <= 0.10:
		return High
	case rate <= 0.20:
		return Medium
	}
	return Low
}

// RecoveryBand classifies a failed deployment recovery time in seconds.
func RecoveryBand(seconds float64) Band {
	switch {
	case seconds < time.Hour.Seconds():
		return Elite
	case seconds < day.Seconds():
		return High
	case seconds < week.Seconds():
		return Medium
	}
	return Low
}

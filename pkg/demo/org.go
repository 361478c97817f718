package demo

import "time"

// The demo company: four engineering teams running seven services, plus the
// operations, product and finance people who use the tools. Names are what the
// dashboards' variables list.

type service struct {
	name, team string
	// incidentsPerWeek is the background incident rate.
	incidentsPerWeek float64
	// requestsPer5m is peak traffic, for the SLI samples.
	requestsPer5m float64
	// themes are the postmortem themes its incidents tend to have.
	themes []string
	title  []string
}

var services = []service{
	{"checkout", "payments", 0.9, 3000, []string{"payment-provider", "config", "capacity"}, []string{"Checkout 5xx errors", "Checkout payment step times out", "Orders stuck in pending"}},
	{"payments", "payments", 0.6, 2500, []string{"database", "dependency", "config"}, []string{"Payment API errors", "Refunds failing", "Payment DB replica lag"}},
	{"web", "storefront", 1.1, 12000, []string{"deploy", "cdn", "config"}, []string{"Storefront pages failing", "Product images missing", "Web 502s after deploy"}},
	{"search", "storefront", 0.8, 6000, []string{"capacity", "index", "deploy"}, []string{"Search slow", "Search results empty", "Search index stale"}},
	{"api-gateway", "platform", 0.7, 20000, []string{"network", "config", "certificate"}, []string{"Gateway 503s", "TLS handshake failures", "Rate limiter rejecting traffic"}},
	{"auth", "platform", 0.5, 8000, []string{"dependency", "database", "config"}, []string{"Logins failing", "Token refresh errors", "SSO provider timeouts"}},
	{"recommendations", "data", 0.7, 1500, []string{"data-pipeline", "capacity", "deploy"}, []string{"Recommendations stale", "Recommendation API slow", "Feature store unavailable"}},
}

func serviceByName(name string) service {
	for _, s := range services {
		if s.name == name {
			return s
		}
	}
	panic("demo: unknown service " + name)
}

// doraProfile is how a team delivers: DORA bands differ by team on purpose
// (platform elite, payments high, storefront medium, data low; docs/delivery.md).
type doraProfile struct {
	team string
	// perDay is production deployments per day, all the team's services together.
	perDay float64
	lead   time.Duration
	// cfr is the share of production deployments that fail.
	cfr      float64
	recovery time.Duration
	source   string
}

var doraProfiles = []doraProfile{
	{"platform", 2.4, 5 * time.Hour, 0.03, 25 * time.Minute, "github"},
	{"payments", 0.6, 40 * time.Hour, 0.075, 4 * time.Hour, "github"},
	{"storefront", 0.11, 11 * 24 * time.Hour, 0.15, 60 * time.Hour, "gitlab"},
	{"data", 1.0 / 38, 45 * 24 * time.Hour, 0.34, 9 * 24 * time.Hour, "gitlab"},
}

func teamServices(team string) []string {
	var out []string
	for _, s := range services {
		if s.team == team {
			out = append(out, s.name)
		}
	}
	return out
}

// department groups teams for adoption; headcount is the eligible people of each team.
type orgTeam struct {
	name, department string
	headcount        int
}

var orgTeams = []orgTeam{
	{"payments", "engineering", 14},
	{"storefront", "engineering", 16},
	{"platform", "engineering", 11},
	{"data", "engineering", 9},
	{"noc", "operations", 8},
	{"service-desk", "operations", 15},
	{"product-mgmt", "product", 9},
	{"finops", "finance", 6},
}

var owners = []string{"ana", "bo", "chen", "dara", "eli", "fatima", "goran", "hana", "ivan", "jules", "kemal", "lena"}

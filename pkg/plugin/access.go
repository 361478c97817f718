package plugin

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// IngestTokenHeader carries the ingest token for senders without a Grafana role.
const IngestTokenHeader = "X-Kaizen-Ingest-Token"

// requireWriter lets a request through when Grafana says the user is an Editor or
// Admin, or when it carries the configured ingest token. Viewers and anonymous
// requests get 403.
func (d *Datasource) requireWriter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token := r.Header.Get(IngestTokenHeader); token != "" {
			if d.settings.IngestToken != "" && tokensEqual(token, d.settings.IngestToken) {
				next.ServeHTTP(w, r)
				return
			}
			writeError(w, http.StatusForbidden, "the ingest token is not valid")
			return
		}
		user := backend.UserFromContext(r.Context())
		if user != nil && isWriterRole(user.Role) {
			next.ServeHTTP(w, r)
			return
		}
		writeError(w, http.StatusForbidden, "writing requires the Editor role or above, or a valid %s header", IngestTokenHeader)
	})
}

func isWriterRole(role string) bool {
	switch strings.ToLower(role) {
	case "editor", "admin", "grafana admin":
		return true
	}
	return false
}

// tokensEqual compares digests so the time taken depends on neither the tokens'
// contents nor their lengths.
func tokensEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

package plugin

import (
	"context"
	"net/http"

	"github.com/kaizenops/suite/pkg/metrics/alertquality"
	"github.com/kaizenops/suite/pkg/metrics/incidents"
	"github.com/kaizenops/suite/pkg/metrics/postmortems"
	"github.com/kaizenops/suite/pkg/store"
)

// improvementRoutes registers the value lists of the postmortems, alerts and
// backtest editors. Postmortems, action items and alert events are ingested by
// POST ingest/{kind} (kinds postmortems, action_items, alert_events); Alertmanager's
// webhook stores every notification as alert events (webhooks/alertmanager).
func (d *Datasource) improvementRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /values/postmortems/{dimension}", d.valuesHandler(postmortems.Values))
	mux.HandleFunc("GET /values/alerts/{dimension}", d.valuesHandler(alertquality.Values))
	// A backtest's filters choose incidents.
	mux.HandleFunc("GET /values/backtest/{dimension}", d.valuesHandler(incidents.Values))
}

// valuesHandler answers GET values/<type>/{dimension} from a family's Values.
func (d *Datasource) valuesHandler(values func(context.Context, store.Querier, string) ([]string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		vs, err := values(r.Context(), d.store, r.PathValue("dimension"))
		if err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, vs)
	}
}

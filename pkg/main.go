// Command gpx_kaizenops is the Kaizen Ops data source backend that Grafana starts.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/kaizenops/suite/pkg/plugin"
)

func main() {
	if err := datasource.Manage(plugin.DatasourceID, plugin.NewFactory(), datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}

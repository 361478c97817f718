package plugin

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kaizenops/suite/pkg/ingest"
)

// pathIDNames are the words a PUT's id errors use for one kind of object.
type pathIDNames struct {
	// payload prefixes an unreadable body's error ("KPI definition").
	payload string
	// object is what the path names ("the KPI"), owner whose id never changes ("a KPI's").
	object, owner string
}

var (
	kpiPathID    = pathIDNames{payload: "KPI definition", object: "the KPI", owner: "a KPI's"}
	kaizenPathID = pathIDNames{payload: "kaizen event", object: "the event", owner: "an event's"}
)

// withPathID fills a PUT body's id from the path; a body naming another object is
// refused, since ids never change (a renamed KPI is a new KPI).
func withPathID(body []byte, id string, names pathIDNames) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, &ingest.PayloadError{Reason: names.payload + ": the body is not a JSON object"}
	}
	if raw, ok := m["id"]; ok {
		var bodyID string
		if err := json.Unmarshal(raw, &bodyID); err != nil || bodyID != id {
			return nil, &ingest.FieldError{Field: "id", Reason: fmt.Sprintf("%s differs from %s in the path, %q; %s id never changes", strings.TrimSpace(string(raw)), names.object, id, names.owner)}
		}
		return body, nil
	}
	m["id"], _ = json.Marshal(id)
	return json.Marshal(m)
}

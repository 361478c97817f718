package prometheus

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Error is Prometheus' own error answer: {"status":"error","errorType":...,"error":...}.
type Error struct {
	HTTPStatus int
	// Type is Prometheus' errorType: bad_data, execution, timeout, canceled,
	// unavailable, internal, not_found, too_many_requests...
	Type string
	Msg  string
}

func (e *Error) Error() string {
	switch e.Type {
	case "bad_data":
		return "Prometheus refused the query (bad_data): " + e.Msg
	case "execution":
		return "Prometheus failed to evaluate the query (execution): " + e.Msg
	case "timeout":
		return "Prometheus timed out evaluating the query: " + e.Msg
	case "canceled":
		return "Prometheus cancelled the query: " + e.Msg
	}
	return fmt.Sprintf("Prometheus answered HTTP %d (%s): %s", e.HTTPStatus, e.Type, e.Msg)
}

// httpError words an answer that is not the API's JSON: authentication and
// wrong-URL mistakes get a hint; anything else shows the start of the body.
func httpError(status int, body []byte, server string) error {
	text := fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("Prometheus at %s refused the credentials (%s): check the data source's Prometheus user and password, or its bearer token", server, text)
	case http.StatusNotFound:
		return fmt.Errorf("no Prometheus query API at %s (%s): check the Prometheus URL (the server's base URL, such as http://prometheus:9090)", server, text)
	}
	snippet := strings.Join(strings.Fields(string(body)), " ")
	if len(snippet) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(snippet[cut]) {
			cut--
		}
		snippet = snippet[:cut] + "…"
	}
	if snippet == "" {
		return fmt.Errorf("Prometheus at %s answered %s with an empty body", server, text)
	}
	return fmt.Errorf("Prometheus at %s answered %s, not the query API's JSON: %s", server, text, snippet)
}

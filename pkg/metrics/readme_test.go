package metrics_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kaizenops/suite/pkg/metrics"
)

// TestReadmeCatalogTable keeps README.md's metric catalog true: each query type's row
// names every metric the catalog serves for it, and nothing else.
func TestReadmeCatalogTable(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("reading README.md: %v", err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(text), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		qt := strings.Trim(strings.TrimSpace(cells[1]), "`")
		if _, seen := rows[qt]; !seen {
			rows[qt] = cells[3]
		}
	}
	want := map[string][]string{}
	for _, e := range metrics.Catalog() {
		want[e.QueryType] = append(want[e.QueryType], e.Metric)
	}
	for qt, ms := range want {
		row, ok := rows[qt]
		if !ok {
			t.Errorf("README.md's catalog table has no row for query type %q", qt)
			continue
		}
		listed := map[string]bool{}
		for _, m := range strings.Split(row, ",") {
			listed[strings.Trim(strings.TrimSpace(m), "`")] = true
		}
		for _, m := range ms {
			if !listed[m] {
				t.Errorf("README.md: query type %q's row does not list metric %q", qt, m)
			}
			delete(listed, m)
		}
		for m := range listed {
			t.Errorf("README.md: query type %q's row lists %q, which the catalog does not serve", qt, m)
		}
	}
}

// TestDocumentationLinks: every relative link in README.md and docs/*.md names a
// file or folder of the repository, so a renamed page cannot leave a dead link.
func TestDocumentationLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(root, "README.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("reading %s: %v", f, err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "/") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				rel, _ := filepath.Rel(root, f)
				t.Errorf("%s links to %s, which does not exist", rel, m[1])
			}
		}
	}
}

package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoRefusesBadInput: every refusal happens before anything is written, and
// names what was wrong.
func TestDemoRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("someone's data"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"months below 1", []string{"--db", filepath.Join(dir, "a.db"), "--months", "0"}, true, "--months 0: use 1 to 36"},
		{"months above 36", []string{"--db", filepath.Join(dir, "b.db"), "--months", "37"}, true, "--months 37: use 1 to 36"},
		{"no --db", []string{"--months", "2"}, true, "--db is required"},
		{"a bad anchor", []string{"--db", filepath.Join(dir, "c.db"), "--anchor", "yesterday"}, true, `--anchor "yesterday"`},
		{"an existing file", []string{"--db", existing, "--months", "1"}, false, "exists; the demo writes a new store only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := runDemo(c.args, nil, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want one containing %q", err, c.want)
			}
			if errors.Is(err, errUsage) != c.usage {
				t.Errorf("usage error %v, want %v", errors.Is(err, errUsage), c.usage)
			}
			if out.Len() != 0 {
				t.Errorf("printed a summary: %s", out.String())
			}
		})
	}
	// Refused without touching anything: the existing file is as it was, and no store
	// was created for the refused months.
	if b, err := os.ReadFile(existing); err != nil || string(b) != "someone's data" {
		t.Fatalf("the existing file changed: %q %v", b, err)
	}
	for _, f := range []string{"a.db", "b.db", "c.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created by a refused run (%v)", f, err)
		}
	}
}

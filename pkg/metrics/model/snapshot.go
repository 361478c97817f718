package model

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"time"

	"github.com/kaizenops/suite/pkg/stats/drift"
	"github.com/kaizenops/suite/pkg/store"
)

// A snapshot freezes a reference window of a model once. It keeps what the drift
// statistics need, not the rows: per numeric feature its distinct values with their
// counts (lossless, so KS and Wasserstein against a snapshot equal those against the
// window it was taken from, and any number of bins can still be asked for) and the
// quantile cut points and bin counts for the bin numbers asked at creation (PSI and
// JSD against the snapshot then read O(bins) rows); per categorical feature its
// category counts. Discrete features shrink to a few rows; a continuous one keeps a
// row per distinct value, sorted by its key, so KS streams it without a sort.

// Snapshot describes a stored snapshot.
type Snapshot struct {
	Model        string            `json:"model"`
	Name         string            `json:"name"`
	ModelVersion string            `json:"model_version,omitempty"`
	From         time.Time         `json:"from"`
	To           time.Time         `json:"to"`
	Description  string            `json:"description,omitempty"`
	CreatedAt    time.Time         `json:"created_at"`
	CreatedBy    string            `json:"created_by,omitempty"`
	Features     []SnapshotFeature `json:"features"`
}

// SnapshotFeature is one feature of a snapshot.
type SnapshotFeature struct {
	Feature string `json:"feature"`
	Kind    string `json:"kind"`
	// N counts the feature's observations in the window; Distinct its distinct
	// values or categories (the rows kept).
	N        int64 `json:"n"`
	Distinct int64 `json:"distinct_values"`
	// Bins lists the bin numbers whose cut points and counts were stored.
	Bins []int `json:"bins,omitempty"`
}

// SnapshotRequest is the body of POST model/snapshots.
type SnapshotRequest struct {
	Model string `json:"model"`
	Name  string `json:"name"`
	// ModelVersion narrows the window to one version; empty: every version.
	ModelVersion string `json:"model_version"`
	// From and To bound the window: RFC 3339 or now-<duration>.
	From string `json:"from"`
	To   string `json:"to"`
	// Features to keep; empty: every feature with observations in the window.
	Features []string `json:"features"`
	// Bins lists the PSI/JSD bin numbers to precompute (default [10]).
	Bins        []int  `json:"bins"`
	Description string `json:"description"`
}

// RequestError is a snapshot request the caller must fix (HTTP 400).
type RequestError struct{ Reason string }

func (e *RequestError) Error() string { return e.Reason }

// ErrSnapshotExists refuses to replace a snapshot: a frozen reference never changes
// under the dashboards that compare with it.
var ErrSnapshotExists = errors.New("snapshot exists")

var snapshotName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// CheckSnapshotName validates a snapshot name: it appears in URLs and queries.
func CheckSnapshotName(name string) error {
	if !snapshotName.MatchString(name) {
		return &RequestError{Reason: fmt.Sprintf("snapshot name %q: use 1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit", name)}
	}
	return nil
}

// SnapshotSpec is a checked snapshot request.
type SnapshotSpec struct {
	SnapshotRequest
	from, to time.Time
	bins     []int
}

// ParseSnapshotRequest reads and checks a POST model/snapshots body.
func ParseSnapshotRequest(body []byte, now time.Time) (SnapshotSpec, error) {
	var req SnapshotRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return SnapshotSpec{}, &RequestError{Reason: fmt.Sprintf("snapshot request: %v", err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return SnapshotSpec{}, &RequestError{Reason: "snapshot request: unexpected data after the JSON object"}
	}
	s := SnapshotSpec{SnapshotRequest: req}
	if req.Model == "" {
		return SnapshotSpec{}, &RequestError{Reason: "snapshot request: model is required"}
	}
	if err := CheckSnapshotName(req.Name); err != nil {
		return SnapshotSpec{}, err
	}
	if req.From == "" || req.To == "" {
		return SnapshotSpec{}, &RequestError{Reason: "snapshot request: from and to are required (RFC 3339 or now-<duration>)"}
	}
	var err error
	if s.from, err = parseTime(req.From, now); err != nil {
		return SnapshotSpec{}, &RequestError{Reason: "snapshot request: from: " + err.Error()}
	}
	if s.to, err = parseTime(req.To, now); err != nil {
		return SnapshotSpec{}, &RequestError{Reason: "snapshot request: to: " + err.Error()}
	}
	if !s.to.After(s.from) {
		return SnapshotSpec{}, &RequestError{Reason: fmt.Sprintf("snapshot request: from %s is not before to %s", s.from.Format(time.RFC3339), s.to.Format(time.RFC3339))}
	}
	s.bins = []int{drift.DefaultBins}
	if len(req.Bins) > 0 {
		s.bins = nil
		for _, b := range req.Bins {
			if b < 2 || b > maxBins {
				return SnapshotSpec{}, &RequestError{Reason: fmt.Sprintf("snapshot request: bins %d: use 2 to %d", b, maxBins)}
			}
			if !slices.Contains(s.bins, b) {
				s.bins = append(s.bins, b)
			}
		}
	}
	return s, nil
}

// CreateSnapshot stores a snapshot in one transaction and returns it.
func CreateSnapshot(ctx context.Context, st store.Store, s SnapshotSpec, now time.Time, user string) (Snapshot, error) {
	err := st.WithTx(ctx, func(tx store.Tx) error {
		exists, err := snapshotExists(ctx, tx, s.Model, s.Name)
		if err != nil {
			return err
		}
		if exists {
			return fmt.Errorf("%w: model %s already has a snapshot %q; delete it first (DELETE model/snapshots/%s/%s) or choose another name", ErrSnapshotExists, s.Model, s.Name, s.Model, s.Name)
		}
		var versions []string
		if s.ModelVersion != "" {
			versions = []string{s.ModelVersion}
		}
		src := source{st: tx, model: s.Model, versions: versions}
		from, to := s.from.UnixMilli(), s.to.UnixMilli()
		features := s.Features
		if len(features) == 0 {
			all, err := distinct(ctx, tx, s.Model)
			if err != nil {
				return err
			}
			for _, f := range all {
				ok, err := src.hasData(ctx, f, from, to)
				if err != nil {
					return err
				}
				if ok {
					features = append(features, f)
				}
			}
			if len(features) == 0 {
				return &RequestError{Reason: fmt.Sprintf("model %s has no observations from %s to %s: nothing to snapshot", s.Model, s.from.Format(time.RFC3339), s.to.Format(time.RFC3339))}
			}
		}
		for _, f := range features {
			if err := s.storeFeature(ctx, tx, src, f); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO model_snapshots (model, name, model_version, from_ms, to_ms, description, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.Model, s.Name, s.ModelVersion, from, to, s.Description, now.UnixMilli(), user)
		if err != nil {
			return fmt.Errorf("storing snapshot %q of model %s: %w", s.Name, s.Model, err)
		}
		return nil
	})
	if err != nil {
		return Snapshot{}, err
	}
	snap, _, err := GetSnapshot(ctx, st, s.Model, s.Name)
	return snap, err
}

// storeFeature copies one feature's distribution in the window into the snapshot.
func (s SnapshotSpec) storeFeature(ctx context.Context, tx store.Tx, src source, feature string) error {
	kind, err := src.featureKind(ctx, feature)
	if err != nil {
		return &RequestError{Reason: err.Error()}
	}
	from, to := s.from.UnixMilli(), s.to.UnixMilli()
	n, err := src.count(ctx, feature, kind, window{from: from, to: to})
	if err != nil {
		return err
	}
	if kind == "" || n == 0 {
		return &RequestError{Reason: fmt.Sprintf("model %s has no observations of feature %s from %s to %s", s.Model, feature, s.from.Format(time.RFC3339), s.to.Format(time.RFC3339))}
	}
	a := &sqlArgs{}
	head := "SELECT CAST(" + a.p(s.Model) + " AS TEXT), CAST(" + a.p(s.Name) + " AS TEXT), CAST(" + a.p(feature) + " AS TEXT), "
	var insert string
	if kind == Numeric {
		insert = "INSERT INTO model_snapshot_values (model, snapshot, feature, value, n) " + head + "value, COUNT(*) FROM model_observations" +
			src.obsWhere(a, feature, Numeric, from, to, "observed_at") + " GROUP BY value"
	} else {
		insert = "INSERT INTO model_snapshot_categories (model, snapshot, feature, category, n) " + head + "category, COUNT(*) FROM model_observations" +
			src.obsWhere(a, feature, Categorical, from, to, "observed_at") + " GROUP BY category"
	}
	res, err := tx.ExecContext(ctx, insert, a.list...)
	if err != nil {
		return fmt.Errorf("storing %s of snapshot %q: %w", feature, s.Name, err)
	}
	distinctN, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("storing %s of snapshot %q: %w", feature, s.Name, err)
	}
	if kind == Numeric {
		for _, b := range s.bins {
			if err := s.storeBins(ctx, tx, src, feature, n, b); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO model_snapshot_features (model, snapshot, feature, kind, n, distinct_values) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.Model, s.Name, feature, kind, n, distinctN)
	if err != nil {
		return fmt.Errorf("storing %s of snapshot %q: %w", feature, s.Name, err)
	}
	return nil
}

// storeBins computes the quantile cut points and bin counts of the stored values and
// keeps them: two sorted passes over the snapshot's own rows, O(bins) memory.
func (s SnapshotSpec) storeBins(ctx context.Context, tx store.Tx, src source, feature string, n int64, bins int) error {
	w := window{snapshot: s.Name}
	rs, err := src.sorted(ctx, feature, w)
	if err != nil {
		return err
	}
	edges, err := drift.QuantileEdges(rs, int(n), bins)
	rs.Close()
	if err != nil {
		return fmt.Errorf("quantile edges of %s in snapshot %q: %w", feature, s.Name, err)
	}
	rs, err = src.sorted(ctx, feature, w)
	if err != nil {
		return err
	}
	counts, err := drift.CountBins("reference", edges.Cuts, rs)
	rs.Close()
	if err != nil {
		return fmt.Errorf("bin counts of %s in snapshot %q: %w", feature, s.Name, err)
	}
	for k, c := range counts {
		var edge any
		if k < len(edges.Cuts) {
			edge = edges.Cuts[k]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO model_snapshot_bins (model, snapshot, feature, bins, k, upper_edge, n) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			s.Model, s.Name, feature, bins, k, edge, c); err != nil {
			return fmt.Errorf("storing bins of %s in snapshot %q: %w", feature, s.Name, err)
		}
	}
	return nil
}

func snapshotExists(ctx context.Context, q store.Querier, model, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM model_snapshots WHERE model = $1 AND name = $2`, model, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading snapshot %q of model %s: %w", name, model, err)
	}
	return n > 0, nil
}

// ListSnapshots returns the snapshots of a model (every model when empty), by model
// and name.
func ListSnapshots(ctx context.Context, q store.Querier, model string) ([]Snapshot, error) {
	return readSnapshots(ctx, q, model, "")
}

// GetSnapshot returns one snapshot; ok is false when there is none.
func GetSnapshot(ctx context.Context, q store.Querier, model, name string) (Snapshot, bool, error) {
	list, err := readSnapshots(ctx, q, model, name)
	if err != nil || len(list) == 0 {
		return Snapshot{}, false, err
	}
	return list[0], true, nil
}

func readSnapshots(ctx context.Context, q store.Querier, model, name string) ([]Snapshot, error) {
	a := &sqlArgs{}
	where := " WHERE 1 = 1"
	if model != "" {
		where += " AND model = " + a.p(model)
	}
	if name != "" {
		where += " AND name = " + a.p(name)
	}
	rows, err := q.QueryContext(ctx, `SELECT model, name, model_version, from_ms, to_ms, description, created_at, created_by FROM model_snapshots`+where+` ORDER BY model, name`, a.list...)
	if err != nil {
		return nil, fmt.Errorf("listing snapshots: %w", err)
	}
	out := []Snapshot{}
	index := map[[2]string]int{}
	for rows.Next() {
		var s Snapshot
		var from, to, created int64
		if err := rows.Scan(&s.Model, &s.Name, &s.ModelVersion, &from, &to, &s.Description, &created, &s.CreatedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing snapshots: %w", err)
		}
		s.From, s.To, s.CreatedAt = time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC(), time.UnixMilli(created).UTC()
		s.Features = []SnapshotFeature{}
		index[[2]string{s.Model, s.Name}] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing snapshots: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	fwhere := " WHERE 1 = 1"
	b := &sqlArgs{}
	if model != "" {
		fwhere += " AND f.model = " + b.p(model)
	}
	if name != "" {
		fwhere += " AND f.snapshot = " + b.p(name)
	}
	rows, err = q.QueryContext(ctx, `SELECT f.model, f.snapshot, f.feature, f.kind, f.n, f.distinct_values, b.bins
		FROM model_snapshot_features f LEFT JOIN (SELECT DISTINCT model, snapshot, feature, bins FROM model_snapshot_bins) b
		ON b.model = f.model AND b.snapshot = f.snapshot AND b.feature = f.feature`+fwhere+` ORDER BY f.model, f.snapshot, f.feature, b.bins`, b.list...)
	if err != nil {
		return nil, fmt.Errorf("listing snapshot features: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, snap string
		var f SnapshotFeature
		var bins sql.NullInt64
		if err := rows.Scan(&m, &snap, &f.Feature, &f.Kind, &f.N, &f.Distinct, &bins); err != nil {
			return nil, fmt.Errorf("listing snapshot features: %w", err)
		}
		i, ok := index[[2]string{m, snap}]
		if !ok {
			continue
		}
		fs := out[i].Features
		if len(fs) > 0 && fs[len(fs)-1].Feature == f.Feature {
			if bins.Valid {
				fs[len(fs)-1].Bins = append(fs[len(fs)-1].Bins, int(bins.Int64))
			}
			continue
		}
		if bins.Valid {
			f.Bins = []int{int(bins.Int64)}
		}
		out[i].Features = append(fs, f)
	}
	return out, rows.Err()
}

// DeleteSnapshot removes a snapshot and everything it stored; found is false when
// there was none.
func DeleteSnapshot(ctx context.Context, st store.Store, model, name string) (found bool, err error) {
	err = st.WithTx(ctx, func(tx store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM model_snapshots WHERE model = $1 AND name = $2`, model, name)
		if err != nil {
			return fmt.Errorf("deleting snapshot %q of model %s: %w", name, model, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("deleting snapshot %q of model %s: %w", name, model, err)
		}
		found = n > 0
		for _, table := range []string{"model_snapshot_features", "model_snapshot_values", "model_snapshot_categories", "model_snapshot_bins"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE model = $1 AND snapshot = $2", model, name); err != nil {
				return fmt.Errorf("deleting snapshot %q of model %s: %w", name, model, err)
			}
		}
		return nil
	})
	return found, err
}

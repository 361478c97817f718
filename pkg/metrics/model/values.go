package model

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kaizenops/suite/pkg/store"
)

// maxValues bounds a values list; editors and variables need pickers, not exports.
const maxValues = 1000

// ValueDimensions are what GET values/model/{dimension} lists.
var ValueDimensions = []string{"model", "feature", "model_version", "segment"}

// Values lists a dimension's values for editor pickers and dashboard variables:
// models; the features of the given models (every model when none); the model
// versions and the segment label names seen on their predictions.
func Values(ctx context.Context, q store.Querier, dimension string, models []string) ([]string, error) {
	if dimension == "model" {
		vs, err := distinct(ctx, q, "")
		if err != nil {
			return nil, err
		}
		return nonNil(limit(vs)), nil
	}
	if !slices.Contains(ValueDimensions, dimension) {
		return nil, fmt.Errorf("unknown dimension %q; use one of %s", dimension, strings.Join(ValueDimensions, ", "))
	}
	if len(models) == 0 {
		all, err := distinct(ctx, q, "")
		if err != nil {
			return nil, err
		}
		models = all
	}
	set := map[string]bool{}
	for _, m := range models {
		var vs []string
		var err error
		switch dimension {
		case "feature":
			vs, err = distinct(ctx, q, m)
		case "model_version":
			vs, err = predictionColumn(ctx, q, m, "model_version")
		default:
			vs, err = segmentKeys(ctx, q, m)
		}
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v != "" {
				set[v] = true
			}
		}
	}
	return limit(sortedKeys(set)), nil
}

func limit(vs []string) []string {
	if len(vs) > maxValues {
		return vs[:maxValues]
	}
	return vs
}

// predictionColumn lists a column's distinct values over a model's prediction rows
// (a range of the key), not over every observation.
func predictionColumn(ctx context.Context, q store.Querier, model, col string) ([]string, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM model_observations WHERE model = $1 AND feature = $2 LIMIT %d", col, 10*maxValues),
		model, PredictionFeature)
	if err != nil {
		return nil, fmt.Errorf("listing %s values of model %s: %w", col, model, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("listing %s values of model %s: %w", col, model, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// segmentKeys lists the segment label names on a model's predictions.
func segmentKeys(ctx context.Context, q store.Querier, model string) ([]string, error) {
	segs, err := predictionColumn(ctx, q, model, "segment")
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for _, s := range segs {
		var labels map[string]string
		if json.Unmarshal([]byte(s), &labels) == nil {
			for k := range labels {
				keys[k] = true
			}
		}
	}
	return sortedKeys(keys), nil
}

// Package impact answers "did the kaizen event work, and did it stick?" for one
// metric: a baseline window of values before a change against a window after it.
//
// It is pure statistics (no SDK, no database): callers pass the two windows'
// values, already cut from whatever store holds them (and with any settling
// period after the change already skipped), plus the metric's better direction.
//
// What it reports, and the references each part is tested against:
//   - medians and means per window (NumPy), the change in medians and whether it
//     points the better way;
//   - the two-sided Mann-Whitney U test, asymptotic with tie and continuity
//     corrections, matching scipy.stats.mannwhitneyu(after, before,
//     method="asymptotic") to 1e-9 (testdata/impact, scripts/golden/impact.py);
//   - a seeded percentile-bootstrap 95% interval of the difference in medians;
//   - an SPC view: XmR limits per phase, and whether the after phase holds a
//     sustained shift (Nelson rule 2) against the before phase's centre line;
//   - a verdict, and later a sustainability review at 30/60/90-day dates.
package impact

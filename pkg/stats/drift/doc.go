// Package drift compares a current window of a model feature (or of its
// predictions) with a reference window and says whether the distribution has
// drifted. It is pure: no SDK, no database, no global state.
//
// # Methods and the reference each one matches
//
//	method               statistic                         p-value                drift when           default
//	psi                  population stability index        -                      PSI >= threshold     0.2 (0.1 = moderate)
//	ks                   two-sample Kolmogorov-Smirnov D   scipy ks_2samp 'auto'  p < threshold        0.05
//	wasserstein          scipy.stats.wasserstein_distance  -                      W >= threshold       none: units of the feature
//	wasserstein-normed   W / std(reference, ddof=0)        -                      W/std >= threshold   0.1
//	jsd                  scipy jensenshannon, base 2       -                      JSD >= threshold     0.1
//	chisquare            scipy chi2_contingency            chi2 survival          p < threshold        0.05
//
// Why these defaults: PSI 0.1/0.2 are the credit-scoring conventions (below
// 0.1 stable, 0.1-0.2 watch, 0.2 and above act), so only "significant" counts
// as drifted. KS and chi-square use the conventional 5% level. Normed
// Wasserstein 0.1 reads "the mass moved a tenth of a reference standard
// deviation on average"; JSD 0.1 (base 2, so the scale is [0,1]) is of the
// same order for smooth shifts (both are Evidently's defaults too). Raw
// Wasserstein is in the feature's own units, so no default can be right and
// the caller must give one. Distances drift at >= threshold (PSI's bands are
// half-open: [0.1, 0.2) is moderate), tests at p < alpha.
//
// Distances are never 0 between two samples of one distribution. Simulated
// 95th percentiles with no drift (normal data, 10 bins, n per window):
//
//	n      PSI     JSD     Wasserstein-normed
//	300    0.10    0.14    0.16
//	1000   0.035   0.08    0.10
//	5000   0.008   0.037   0.046
//
// So the defaults stay quiet from about a thousand observations per window
// (PSI from a few hundred); smaller windows need higher thresholds.
//
// The tests' p-values become vanishingly small for windows of millions of
// observations even for shifts nobody cares about: prefer PSI, JSD or normed
// Wasserstein for large windows and keep KS/chi-square for small ones.
//
// # Memory
//
// Every statistic has a streaming form whose memory does not grow with the
// number of observations. Values arrive through a Stream in chunks (a store
// cursor hands over a batch of rows at a time; FromSlice and FromFunc adapt
// slices and one-value iterators), each checked as it arrives: finite,
// ascending where required, exactly the declared count.
//
//   - KSSorted and WassersteinSorted merge two ascending streams given their
//     counts: O(1) memory (one chunk per stream), O(n1+n2) time.
//   - QuantileEdges reads a sorted reference stream once and keeps O(bins)
//     values; CountBins bins a stream in any order in O(bins) memory;
//     PSIFromCounts and JSDFromCounts then work on the counts alone.
//   - ChiSquareFromCounts, PSIFromCategoryCounts and JSDFromCategoryCounts
//     work on per-category counts: O(categories) memory.
//
// The slice functions (KS, WassersteinOf, PSI, JSD, ChiSquare...) are
// conveniences for values already in memory: they sort a copy (O(n) extra
// memory, O(n log n) time) and call the streaming forms.
package drift

// Package spc computes statistical process control charts: limits, zones and
// run-rule violations. Pure functions: no SDK, no database. The TypeScript twin
// is src/lib/spc; both are held to testdata/spc, written by the independent
// NumPy/SciPy reference scripts/golden/spc.py.
//
// Charts and the plotted value of each point:
//
//	xmr     x_i; sigma = mean moving range / 1.128 (the product spec's d2, i.e. the 2.66 factor)
//	xbar-r  subgroup mean; sigma = Rbar / d2(n) / sqrt(n)
//	xbar-s  subgroup mean; sigma = Sbar / c4(n) / sqrt(n)
//	p       d_i/n_i; sigma_i = sqrt(pbar(1-pbar)/n_i); LCL >= 0, UCL <= 1
//	np      d_i (constant n); sigma = sqrt(n pbar(1-pbar)); LCL >= 0, UCL <= n
//	u       c_i/n_i; sigma_i = sqrt(ubar/n_i); LCL >= 0
//	c       c_i; sigma = sqrt(cbar); LCL >= 0
//	ewma    z_i = lambda x_i + (1-lambda) z_{i-1}, z_{-1} = target; exact time-varying
//	        limits target +- L sigma sqrt(lambda/(2-lambda) (1-(1-lambda)^(2(i+1))))
//	        unless asymptotic limits are asked for
//	cusum   C+_i (tabular, Montgomery 9.1); Points.CMinus holds C-_i; center 0,
//	        UCL +H, LCL -H with K = k sigma, H = h sigma; no reset after a signal
//
// XmR and the X-bar charts also return their dispersion chart (mr, r, s):
// center Rbar (or d2 sigma when sigma is given), limits D3/D4 (B3/B4 for s)
// times the center. Subgroup charts use d2, d3, c4 at full precision (they
// agree with the published tables to every printed digit).
//
// Run rules use per-point zones center +- k sigma_i and compare strictly: a
// point on a zone line is not beyond it, a point on the center line is on
// neither side. Convention for overlapping patterns (sliding): a rule fires at
// every index i where a qualifying pattern ends at i, and the violation lists
// the minimal pattern ending there, so a run of 10 on one side fires nelson-2
// at its 9th and 10th points. For k-of-m rules (nelson-5/6, we-2/3) the point
// at i must itself qualify, the window is the m points ending at i (fewer at
// the start of the series) and the listed points are the qualifying ones.
// nelson-8 follows Minitab: 8 in a row beyond 1 sigma on either side.
//
// Baseline (phase I): the first N points, a time range, or all points; its
// estimates are frozen and applied to every point (phase II). Frozen values
// from the user replace estimates: center and/or sigma (sigma of individual
// observations), or center with UCL and LCL (sigma = max(UCL-CL, CL-LCL)/3,
// since clipping only ever shrinks one side).
package spc

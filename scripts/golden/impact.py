#!/usr/bin/env python3
"""Golden vectors for pkg/stats/impact (kaizen-event impact: "did it work?").

Writes testdata/impact/<case>.json. Each file states the inputs (before, after,
better, alpha, min_n) and what SciPy / NumPy compute for them:

  u, p_value   scipy.stats.mannwhitneyu(after, before, alternative='two-sided',
               method='asymptotic', use_continuity=True)  (tie-corrected)
  median/mean  numpy.median / numpy.mean per side
  change       after median - before median; relative_change = change / |before median|
  ci95_reference  (some cases) a 200,000-resample NumPy percentile bootstrap of
               the difference in medians, for a loose check of the Go interval
  spc          XmR limits per phase (centre = mean, sigma = mean moving range /
               1.128, limits centre +- 3 sigma) and the longest runs of after
               points on the better / worse side of the before centre line
               (Nelson rule 2 = 9 or more in a row)
  verdict      the rule in pkg/stats/impact: insufficient-data if a side has fewer
               than min_n points, else improved / worsened when p < alpha and the
               change is in / against the better direction, else no-evidence

The Go tests read these files and must agree to 1e-9 relative. Regenerate with
  python3 scripts/golden/impact.py
(deterministic: fixed NumPy seeds; the output is committed).
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata", "impact")


def summary(x):
    return {"n": len(x), "median": float(np.median(x)), "mean": float(np.mean(x))}


def xmr(x):
    """XmR limits: centre = mean, sigma = mean moving range / 1.128."""
    x = np.asarray(x, float)
    center = float(np.mean(x))
    mr_bar = float(np.mean(np.abs(np.diff(x))))
    sigma = mr_bar / 1.128
    return {"center": center, "mr_bar": mr_bar, "ucl": center + 3 * sigma, "lcl": center - 3 * sigma}


def runs(after, center, better):
    """Longest runs of after points strictly on the better / worse side of center.

    A point on the line belongs to neither side and ends a run; the first of
    equally long runs is reported. Nelson rule 2 = a run of 9 or more.
    """
    best, worst = {"start": 0, "length": 0}, {"start": 0, "length": 0}
    i = 0
    while i < len(after):
        d = after[i] - center
        side = 0 if d == 0 else (1 if (d < 0) == (better == "lower") else -1)
        j = i
        while j < len(after) and (0 if after[j] == center else
                                  (1 if (after[j] - center < 0) == (better == "lower") else -1)) == side:
            j += 1
        run = {"start": i, "length": j - i}
        if side == 1 and run["length"] > best["length"]:
            best = run
        if side == -1 and run["length"] > worst["length"]:
            worst = run
        i = j
    return best, worst


def expected(before, after, better, alpha, min_n):
    b, a = np.asarray(before, float), np.asarray(after, float)
    exp = {"before": summary(b), "after": summary(a)}
    bm, am = exp["before"]["median"], exp["after"]["median"]
    change = am - bm
    exp["change"] = change
    exp["relative_change"] = None if bm == 0 else change / abs(bm)
    exp["in_better_direction"] = bool(change < 0 if better == "lower" else change > 0)
    needed = {}
    if len(b) < min_n:
        needed["before"] = min_n - len(b)
    if len(a) < min_n:
        needed["after"] = min_n - len(a)
    if needed:
        exp["verdict"] = "insufficient-data"
        exp["needed"] = needed
        return exp
    res = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
    phase_b, phase_a = xmr(b), xmr(a)
    best, worst = runs(after, phase_b["center"], better)
    exp["spc"] = {"before": phase_b, "after": phase_a, "longest_better_run": best, "longest_worse_run": worst,
                  "sustained_shift": best["length"] >= 9, "shifted_worse": worst["length"] >= 9}
    exp["u"] = float(res.statistic)
    exp["p_value"] = float(res.pvalue)
    if res.pvalue < alpha and change != 0:
        exp["verdict"] = "improved" if exp["in_better_direction"] else "worsened"
    else:
        exp["verdict"] = "no-evidence"
    return exp


def bootstrap_reference(before, after, resamples=200_000, seed=7):
    """Percentile bootstrap of median(after) - median(before) with many resamples.

    NumPy's PRNG is not Go's, so the Go test compares its 10,000-resample
    interval with this one loosely (a fraction of the interval's width): it
    checks the method (resample each side, median, 2.5/97.5 percentiles), not
    the random stream.
    """
    rng = np.random.default_rng(seed)
    a, b = np.asarray(after, float), np.asarray(before, float)
    ma = np.median(rng.choice(a, size=(resamples, len(a)), replace=True), axis=1)
    mb = np.median(rng.choice(b, size=(resamples, len(b)), replace=True), axis=1)
    lo, hi = np.quantile(ma - mb, [0.025, 0.975])
    return [float(lo), float(hi)]


def cases():
    rng = np.random.default_rng(20240611)
    out = []

    def add(name, note, before, after, better, alpha=0.05, min_n=8):
        before = [float(v) for v in before]
        after = [float(v) for v in after]
        out.append({
            "name": name,
            "note": note,
            "better": better,
            "alpha": alpha,
            "min_n": min_n,
            "before": before,
            "after": after,
            "expected": expected(before, after, better, alpha, min_n),
        })

    # Whole-minute MTTR values: many ties across and within samples.
    add("ties", "integer minutes with heavy ties on both sides; lower is better",
        rng.integers(20, 30, size=40), rng.integers(15, 26, size=35), "lower")
    add("unequal_sizes", "12 points before, 45 after; higher is better (deploys/day)",
        np.round(rng.normal(10, 2, size=12), 2), np.round(rng.normal(12, 2, size=45), 2), "higher")
    add("lower_is_better_improved", "90 daily MTTR medians (s) each side, after clearly lower",
        np.round(rng.lognormal(np.log(3600), 0.4, size=90), 1),
        np.round(rng.lognormal(np.log(2700), 0.4, size=90), 1), "lower")
    add("lower_is_better_worsened", "lead time went up although lower is better",
        np.round(rng.normal(48, 6, size=30), 2), np.round(rng.normal(56, 6, size=30), 2), "lower")
    add("higher_is_better_no_evidence", "small shift drowned in noise",
        np.round(rng.normal(0.95, 0.02, size=20), 4), np.round(rng.normal(0.952, 0.02, size=20), 4), "higher")
    add("too_little_before", "5 points before, min_n 8: 3 more needed before",
        np.round(rng.normal(10, 1, size=5), 2), np.round(rng.normal(9, 1, size=20), 2), "lower")
    add("too_little_both", "3 before and 6 after, min_n 10",
        [5, 6, 7], [4, 4, 5, 6, 3, 4], "lower", min_n=10)
    same = np.round(rng.normal(100, 10, size=25), 1)
    add("identical_samples", "after is the very same sample as before: U = n1*n2/2, p = 1",
        same, same.copy(), "lower")
    add("identical_constant", "every value equal: zero variance, z = -inf, p = 1",
        [7] * 10, [7] * 12, "higher")
    add("tiny_p", "large separated samples: p deep in the tail tests erfc accuracy",
        np.round(rng.normal(100, 5, size=300), 3), np.round(rng.normal(80, 5, size=300), 3), "lower")
    add("zero_before_median", "before median 0: relative change undefined (null)",
        [0, 0, 0, 0, 0, 1, 2, 0, 0], [1, 2, 1, 3, 2, 1, 0, 2, 4], "lower")
    add("alpha_strict", "p between 0.01 and 0.05 with alpha 0.01: no-evidence",
        [12, 14, 11, 15, 13, 16, 12, 14, 13, 15, 14, 12],
        [11, 12, 10, 13, 12, 11, 12, 10, 13, 11, 12, 14], "lower", alpha=0.01)
    for c in out:
        if c["name"] in BOOTSTRAP_REFERENCE:
            c["expected"]["ci95_reference"] = bootstrap_reference(c["before"], c["after"])
    return out


# Cases whose bootstrap interval is checked against NumPy (see bootstrap_reference).
BOOTSTRAP_REFERENCE = {"lower_is_better_improved", "unequal_sizes", "lower_is_better_worsened"}


def dumps(c):
    """One top-level key per line: readable diffs, arrays kept on one line."""
    body = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in c.items())
    return "{\n" + body + "\n}\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    for c in cases():
        c["generator"] = f"scripts/golden/impact.py (numpy {np.__version__}, scipy {scipy.__version__})"
        path = os.path.join(OUT, c["name"] + ".json")
        with open(path, "w") as f:
            f.write(dumps(c))
        e = c["expected"]
        print(f"{c['name']:32s} verdict={e['verdict']:18s} p={e.get('p_value')}", file=sys.stderr)


if __name__ == "__main__":
    main()

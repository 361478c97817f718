#!/usr/bin/env python3
"""Golden vectors for pkg/stats/drift and pkg/stats/modelperf.

Writes JSON files into testdata/drift/ with inputs and the values SciPy,
NumPy, scikit-learn and fairlearn compute for them. The Go tests (and any
other implementation) must agree to 1e-9 relative.

Needs: Python 3.11, numpy >= 2, scipy >= 1.15, scikit-learn >= 1.4,
fairlearn >= 0.10, mpmath   (pip install numpy scipy scikit-learn fairlearn mpmath)

Run from the repository root:  python3 scripts/golden/drift.py
The output is deterministic (fixed seeds); commit it. Nothing rewrites the
vectors on a test failure: regenerate them only on purpose.

Conventions shared with the Go code (pkg/stats/drift/doc.go):
  * PSI/JSD bins: cut points at numpy.quantile(reference, k/bins), k=1..bins-1
    (default 'linear' method), equal cuts collapsed; bin k holds
    cuts[k-1] <= x < cuts[k], outer bins open to -inf/+inf.
  * PSI: sum((c - r) * ln(c / r)) over proportions, an empty bin's
    proportion replaced by 1e-4 (no renormalization).
  * JSD: scipy.spatial.distance.jensenshannon(ref_counts, cur_counts, base=2).
  * Wasserstein normed: wasserstein_distance / np.std(reference) (ddof=0);
    0 if both are 0, +inf (written as the string "inf") if only the std is.
  * KS: scipy.stats.ks_2samp(reference, current, method=...) two-sided.
  * Chi-square: scipy.stats.chi2_contingency([ref_counts, cur_counts]) over
    the sorted union of categories, default correction=True.
  * Undefined metrics (0/0) are null in JSON, NaN in Go.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "drift")
EPS = 1e-4


def num(x):
    """JSON-safe float: None for NaN, 'inf' strings for infinities."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=float)]


def compact(payload):
    """Top level indented, each list item (a case) on one line: small files
    whose diffs still show which case changed."""
    lines = ["{"]
    items = list(payload.items())
    for i, (k, v) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        if isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f" {json.dumps(k)}: [")
            for j, case in enumerate(v):
                csep = "," if j < len(v) - 1 else ""
                lines.append("  " + json.dumps(case, allow_nan=False, separators=(",", ":")) + csep)
            lines.append(" ]" + sep)
        else:
            lines.append(f" {json.dumps(k)}: {json.dumps(v, allow_nan=False)}{sep}")
    lines.append("}")
    return "\n".join(lines)


def write(name, payload):
    payload = {
        "generator": "scripts/golden/drift.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        **payload,
    }
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(compact(payload))
        f.write("\n")
    print("wrote", os.path.relpath(path))


def numeric_cases():
    rng = np.random.default_rng(20240611)
    r3 = lambda a: np.round(a, 3)  # keeps the large case's JSON small
    base = rng.normal(0, 1, 200)
    return [
        ("identical", base, base.copy()),
        ("shifted_mean", rng.normal(0, 1, 300), rng.normal(0.5, 1, 250)),
        ("changed_variance", rng.normal(0, 1, 300), rng.normal(0, 2, 300)),
        ("constant_reference", np.full(50, 3.0), rng.normal(3, 0.1, 40)),
        ("constant_both", np.full(30, 7.5), np.full(20, 7.5)),
        ("unequal_sizes", rng.normal(10, 2, 1000), rng.normal(10.3, 2, 37)),
        ("ties", rng.poisson(3, 400).astype(float), rng.poisson(3.5, 300).astype(float)),
        ("small", rng.normal(0, 1, 5), rng.normal(1, 1, 7)),
        ("tiny_pvalue", rng.normal(0, 1, 100), rng.normal(3, 1, 100)),
        ("skewed", rng.lognormal(0, 1, 500), rng.lognormal(0.2, 1.1, 400)),
        ("large_asymp", r3(rng.normal(0, 1, 10500)), r3(rng.normal(0.05, 1, 4000))),
    ]


def ks_case(name, ref, cur, modes):
    expected = {}
    for mode in modes:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a silent fallback would mislabel the case
            res = stats.ks_2samp(ref, cur, method=mode)
        expected[mode] = {"statistic": num(res.statistic), "p_value": num(res.pvalue)}
    return {"name": name, "reference": floats(ref), "current": floats(cur), "expected": expected}


def ks_vectors(cases):
    out = [ks_case(name, ref, cur, ["auto", "exact", "asymp"]) for name, ref, cur in cases]
    # Interleavings chosen to stress the exact lattice count: equal sizes,
    # coprime sizes, one tiny sample, heavy ties.
    rng = np.random.default_rng(7)
    extra = [
        ("equal_n_shift", rng.normal(0, 1, 60), rng.normal(0.8, 1, 60)),
        ("coprime_sizes", rng.normal(0, 1, 97), rng.normal(0.3, 1, 89)),
        ("one_vs_many", rng.normal(0, 1, 1), rng.normal(0, 1, 50)),
        ("all_tied_but_one", np.array([1.0] * 30 + [2.0]), np.array([1.0] * 20)),
        ("exact_big_gap", rng.normal(0, 1, 400), rng.normal(2, 1, 300)),
    ]
    out += [ks_case(name, ref, cur, ["exact", "asymp"]) for name, ref, cur in extra]
    write("ks.json", {
        "description": "scipy.stats.ks_2samp(reference, current, method=<key of expected>), two-sided",
        "cases": out,
    })


def kstwo_vectors():
    # Points in every region of scipy's kolmogn (Simard-L'Ecuyer), labelled
    # with the formula scipy uses there for the survival function.
    points = [
        (1, 0.7, "one_sample"), (1, 0.3, "ruben_gambino_low"),
        (10, 0.04, "ruben_gambino_low"), (10, 0.08, "ruben_gambino_low"), (200, 0.004, "ruben_gambino_low"),
        (10, 0.95, "ruben_gambino_high"), (5, 0.85, "ruben_gambino_high"),
        (10, 0.6, "smirnov_exact"), (500, 0.55, "smirnov_exact"), (3, 0.5, "smirnov_exact"),
        (50, 0.1, "durbin"), (140, 0.05, "durbin"), (20, 0.18, "durbin"),
        (50, 0.2, "pomeranz"), (100, 0.19, "pomeranz"), (140, 0.15, "pomeranz"),
        (50, 0.35, "smirnov_approx"), (140, 0.3, "smirnov_approx"), (30, 0.45, "smirnov_approx"),
        (10000, 0.2, "zero"), (10000, 0.185, "smirnov_approx"),
        (1000, 0.06, "smirnov_approx"), (141, 0.2, "smirnov_approx"), (500000, 0.003, "smirnov_approx"),
        (999999, 0.0025, "smirnov_approx"), (1000001, 0.0025, "miller"),
        (2000000, 0.002, "miller"), (5000000, 0.0015, "miller"),
        (1000, 0.012, "durbin"), (100000, 0.00055, "durbin"), (20000, 0.002, "durbin"), (141, 0.03, "durbin"),
        (5000, 0.015, "pelz_good"), (100001, 0.001, "pelz_good"), (5000000, 0.0004, "pelz_good"),
        (300, 0.08, "pelz_good"), (100001, 0.004, "pelz_good"),
    ]
    cases = []
    for n, x, region in points:
        case = {"n": n, "x": x, "region": region,
                "sf": num(stats.kstwo.sf(x, n)), "cdf": num(stats.kstwo.cdf(x, n))}
        if region in ("durbin", "pomeranz") and n <= 20000:
            case["cdf_exact"] = durbin_cdf_mpmath(n, x)
        cases.append(case)
    write("kstwo.json", {
        "description": "scipy.stats.kstwo.sf(x, n) and .cdf(x, n); region names scipy's formula for sf; "
                       "cdf_exact is the Durbin matrix CDF in 40-digit arithmetic (mpmath), an independent "
                       "check where scipy's float64 CDF loses digits (it is 5e-7 off at n=20000, x=0.002)",
        "cases": cases,
    })


def durbin_cdf_mpmath(n, x):
    """P(D_n < x) by Durbin's matrix (Marsaglia-Tsang-Wang layout) in
    40-digit arithmetic: slow, exact to float64 precision."""
    import mpmath as mp
    mp.mp.dps = 40
    nd = mp.mpf(n) * mp.mpf(x)
    k = int(mp.ceil(nd))
    h = k - nd
    m = 2 * k - 1
    H = mp.zeros(m, m)
    for j in range(1, m):
        for i in range(j - 1, m - 1):
            H[i, j] = 1 / mp.factorial(i - j + 1)
    for j in range(1, m + 1):
        c = (1 - h**j) / mp.factorial(j)
        H[j - 1, 0] = c
        H[m - 1, m - j] = c
    H[m - 1, 0] = (1 - 2 * h**m + max(2 * h - 1, 0)**m) / mp.factorial(m)
    return float((H**n)[k - 1, k - 1] * mp.factorial(n) / mp.mpf(n)**n)


def quantile_cuts(ref, bins):
    q = np.quantile(ref, np.arange(1, bins) / bins)
    cuts = []
    collapsed = 0
    for c in q:
        if cuts and c <= cuts[-1]:
            collapsed += 1
            continue
        cuts.append(float(c))
    return cuts, collapsed


def bin_counts(x, cuts):
    idx = np.searchsorted(np.asarray(cuts), x, side="right")
    return np.bincount(idx, minlength=len(cuts) + 1)


def psi_from_counts(rc, cc):
    r = rc / rc.sum()
    c = cc / cc.sum()
    r = np.where(r == 0, EPS, r)
    c = np.where(c == 0, EPS, c)
    return float(np.sum((c - r) * np.log(c / r)))


def binned_vectors(cases):
    out = []
    for name, ref, cur in cases:
        if name == "large_asymp":
            continue
        for bins in ([10, 4, 20] if name in ("shifted_mean", "ties") else [10]):
            cuts, collapsed = quantile_cuts(ref, bins)
            rc, cc = bin_counts(ref, cuts), bin_counts(cur, cuts)
            out.append({
                "name": f"{name}/bins={bins}",
                "reference": floats(ref),
                "current": floats(cur),
                "bins": bins,
                "cuts": cuts,
                "collapsed": collapsed,
                "reference_counts": [int(v) for v in rc],
                "current_counts": [int(v) for v in cc],
                "psi": psi_from_counts(rc, cc),
                "jsd": num(distance.jensenshannon(rc, cc, base=2)),
                "jsd_base_e": num(distance.jensenshannon(rc, cc)),
            })
    # Caller-given edges, including values outside them.
    rng = np.random.default_rng(11)
    ref, cur = rng.uniform(0, 100, 300), rng.uniform(20, 130, 200)
    cuts = [10.0, 25.0, 50.0, 75.0, 90.0]
    rc, cc = bin_counts(ref, cuts), bin_counts(cur, cuts)
    out.append({
        "name": "given_edges", "reference": floats(ref), "current": floats(cur),
        "bins": 0, "cuts": cuts, "given": True, "collapsed": 0,
        "reference_counts": [int(v) for v in rc], "current_counts": [int(v) for v in cc],
        "psi": psi_from_counts(rc, cc),
        "jsd": num(distance.jensenshannon(rc, cc, base=2)),
        "jsd_base_e": num(distance.jensenshannon(rc, cc)),
    })
    write("binned.json", {
        "description": "PSI (epsilon 1e-4) and Jensen-Shannon distance over reference-quantile bins",
        "epsilon": EPS,
        "cases": out,
    })


def wasserstein_vectors(cases):
    out = []
    for name, ref, cur in cases:
        if name == "large_asymp":
            continue
        w = stats.wasserstein_distance(ref, cur)
        sd = np.std(ref)
        if sd > 0:
            normed = w / sd
        else:
            normed = 0.0 if w == 0 else math.inf
        out.append({
            "name": name, "reference": floats(ref), "current": floats(cur),
            "distance": num(w), "reference_std": num(sd), "normed": num(normed),
        })
    write("wasserstein.json", {
        "description": "scipy.stats.wasserstein_distance; normed by np.std(reference) (ddof=0)",
        "cases": out,
    })


def categorical_vectors():
    rng = np.random.default_rng(3)
    colors = ["red", "green", "blue"]
    cases = [
        ("similar", rng.choice(colors, 500, p=[.5, .3, .2]), rng.choice(colors, 400, p=[.48, .32, .2])),
        ("shifted", rng.choice(colors, 500, p=[.5, .3, .2]), rng.choice(colors, 400, p=[.3, .3, .4])),
        ("new_category", rng.choice(colors, 300, p=[.5, .3, .2]),
         rng.choice(colors + ["purple"], 300, p=[.4, .3, .2, .1])),
        ("missing_in_current", rng.choice(colors, 300, p=[.5, .3, .2]), rng.choice(colors[:2], 100, p=[.6, .4])),
        ("two_categories_yates", rng.choice(["yes", "no"], 80, p=[.6, .4]), rng.choice(["yes", "no"], 60, p=[.45, .55])),
        ("single_category", np.array(["only"] * 20), np.array(["only"] * 15)),
    ]
    out = []
    for name, ref, cur in cases:
        cats = sorted(set(ref) | set(cur))
        rc = np.array([int(np.sum(ref == c)) for c in cats])
        cc = np.array([int(np.sum(cur == c)) for c in cats])
        res = stats.chi2_contingency(np.array([rc, cc]))
        out.append({
            "name": name,
            "reference": [str(v) for v in ref],
            "current": [str(v) for v in cur],
            "categories": cats,
            "reference_counts": [int(v) for v in rc],
            "current_counts": [int(v) for v in cc],
            "chi2": num(res.statistic),
            "p_value": num(res.pvalue),
            "dof": int(res.dof),
            "psi": psi_from_counts(rc, cc),
            "jsd": num(distance.jensenshannon(rc, cc, base=2)),
        })
    write("categorical.json", {
        "description": "chi2_contingency (correction=True), PSI and JSD over the union of categories",
        "cases": out,
    })


def modelperf_vectors():
    import sklearn
    from sklearn import metrics as skm
    import fairlearn
    from fairlearn import metrics as flm

    rng = np.random.default_rng(5)
    cls = []

    def labels_case(name, y_true, y_pred, pos):
        kw = dict(pos_label=pos, zero_division=np.nan)
        cls.append({
            "name": name, "kind": "labels", "positive": pos,
            "actual": list(y_true), "predicted": list(y_pred),
            "accuracy": num(skm.accuracy_score(y_true, y_pred)),
            "precision": num(skm.precision_score(y_true, y_pred, **kw)),
            "recall": num(skm.recall_score(y_true, y_pred, **kw)),
            "f1": num(skm.f1_score(y_true, y_pred, **kw)),
        })

    lab = ["fraud", "ok"]
    y = rng.choice(lab, 200, p=[.2, .8])
    flip = rng.random(200) < 0.15
    yp = np.where(flip, np.where(y == "fraud", "ok", "fraud"), y)
    labels_case("fraud_labels", [str(v) for v in y], [str(v) for v in yp], "fraud")
    labels_case("ok_as_positive", [str(v) for v in y], [str(v) for v in yp], "ok")
    labels_case("no_predicted_positive", ["a", "b", "a", "b"], ["b", "b", "b", "b"], "a")
    labels_case("no_positive_at_all", ["b", "b", "b"], ["b", "b", "b"], "a")

    def scores_case(name, y_true, scores, thr):
        y_pred = scores >= thr
        kw = dict(pos_label=True, zero_division=np.nan)
        cls.append({
            "name": name, "kind": "scores", "threshold": thr,
            "actual_bool": [bool(v) for v in y_true], "scores": floats(scores),
            "accuracy": num(skm.accuracy_score(y_true, y_pred)),
            "precision": num(skm.precision_score(y_true, y_pred, **kw)),
            "recall": num(skm.recall_score(y_true, y_pred, **kw)),
            "f1": num(skm.f1_score(y_true, y_pred, **kw)),
            "mean_confidence": num(np.mean(np.maximum(scores, 1 - scores))),
        })

    yt = rng.random(300) < 0.3
    sc = np.clip(np.where(yt, rng.normal(0.7, 0.2, 300), rng.normal(0.3, 0.2, 300)), 0, 1)
    scores_case("scores_0.5", yt, sc, 0.5)
    scores_case("scores_0.8", yt, sc, 0.8)

    reg = []
    for name, n, noise in [("regression_small_noise", 50, 0.1), ("regression_large_noise", 500, 3.0)]:
        t = rng.normal(20, 5, n)
        p = t + rng.normal(0, noise, n)
        reg.append({
            "name": name, "actual": floats(t), "predicted": floats(p),
            "mae": num(skm.mean_absolute_error(t, p)),
            "rmse": num(skm.root_mean_squared_error(t, p)),
        })

    fair = []
    for name, n, groups in [("two_segments", 400, ["a", "b"]), ("three_segments", 600, ["x", "y", "z"])]:
        seg = rng.choice(groups, n)
        yt = rng.random(n) < 0.4
        bias = np.array([0.1 * groups.index(s) for s in seg])
        yp = rng.random(n) < (0.25 + 0.4 * yt + bias)
        mf = flm.MetricFrame(
            metrics={"selection_rate": flm.selection_rate, "tpr": flm.true_positive_rate,
                     "fpr": flm.false_positive_rate},
            y_true=yt, y_pred=yp, sensitive_features=seg)
        by = mf.by_group
        fair.append({
            "name": name, "segments": [str(s) for s in seg],
            "actual": [bool(v) for v in yt], "predicted": [bool(v) for v in yp],
            "demographic_parity_difference": num(flm.demographic_parity_difference(yt, yp, sensitive_features=seg)),
            "disparate_impact_ratio": num(flm.demographic_parity_ratio(yt, yp, sensitive_features=seg)),
            "equalized_odds_difference": num(flm.equalized_odds_difference(yt, yp, sensitive_features=seg)),
            "per_segment": {str(g): {"selection_rate": num(by.loc[g, "selection_rate"]),
                                     "tpr": num(by.loc[g, "tpr"]), "fpr": num(by.loc[g, "fpr"])}
                            for g in by.index},
        })

    write("modelperf.json", {
        "description": "sklearn classification/regression metrics (zero_division=nan) and fairlearn disparity metrics",
        "library_versions": {"scikit-learn": sklearn.__version__, "fairlearn": fairlearn.__version__},
        "classification": cls,
        "regression": reg,
        "fairness": fair,
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = numeric_cases()
    ks_vectors(cases)
    kstwo_vectors()
    binned_vectors(cases)
    wasserstein_vectors(cases)
    categorical_vectors()
    modelperf_vectors()


if __name__ == "__main__":
    main()

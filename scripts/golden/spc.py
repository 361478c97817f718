#!/usr/bin/env python3
"""Golden vectors for the SPC engine (Go pkg/stats/spc, TS src/lib/spc).

README
  Needs    Python >= 3.11, numpy >= 2.0, scipy >= 1.11 (pip install numpy scipy).
  Run      python3 scripts/golden/spc.py           check: rebuild in memory, diff
                                                   against testdata/spc, exit 1 on drift
           python3 scripts/golden/spc.py --write   rewrite testdata/spc/*.json
  Output   testdata/spc/{constants,rules,xmr,xbar,attributes,ewma,cusum,errors}.json
           Deterministic (fixed seeds, data rounded to 3 decimals); commit it.

  This is an independent reference written from the textbook definitions
  (Montgomery, "Introduction to Statistical Quality Control", 7th ed., ch. 6-9;
  Nelson, JQT 16(4) 1984; Western Electric Statistical Quality Control Handbook
  1956), not a translation of the Go/TS code: limits are NumPy array
  expressions, run rules are sliding-window masks (the engines use streaming
  counters), the EWMA is scipy.signal.lfilter and the CUSUM is the Lindley
  form S_i - min_j S_j (the engines use the recursion).

  Constants. d2(n) = E[range]/sigma and d3(n) = sd[range]/sigma of n standard
  normals by numerical integration (scipy.integrate.quad / dblquad over
  scipy.special.ndtr); c4(n) = sqrt(2/(n-1)) Gamma(n/2)/Gamma((n-1)/2) with
  scipy.special.gammaln. A2 = 3/(d2 sqrt n), A3 = 3/(c4 sqrt n),
  D3,D4 = 1 -+ 3 d3/d2 (D3 floored at 0), B3,B4 = 1 -+ 3 sqrt(1-c4^2)/c4
  (B3 floored at 0). Checked in this script against (a) closed forms for
  n = 2, 3 and (b) the published table (Montgomery Appendix VI, which
  reproduces ASTM E2587) to within one unit of its last printed digit.
  XmR uses d2 = 1.128 exactly, as the product spec states (the 2.66 factor).

  Conventions shared by all three implementations (see pkg/stats/spc/doc.go):
  a rule fires at every index i where a qualifying pattern ends at i (sliding:
  a run of 10 on one side fires nelson-2 at the 9th and 10th points), and the
  violation lists the minimal pattern ending at i. For "k of m" rules the point
  at i must itself qualify, the window is the m points ending at i (fewer at
  the start of the series), and the listed points are the qualifying ones. Comparisons are strict (a point exactly on a zone line is not
  beyond it; a point exactly on the center line is on neither side).

  Floats compare at 1e-9 relative with a 1e-12 absolute floor (for zeros).
"""
import argparse
import json
import math
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import integrate, signal, special

OUT = Path(__file__).resolve().parents[2] / "testdata" / "spc"
XMR_D2 = 1.128

# ----------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------

# Montgomery, 7th ed., Appendix VI (same values as ASTM E2587 Table 6 et al.).
PUBLISHED = {
    "d2": [1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336,
           3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931],
    "d3": [0.853, 0.888, 0.880, 0.864, 0.848, 0.833, 0.820, 0.808, 0.797, 0.787, 0.778, 0.770,
           0.763, 0.756, 0.750, 0.744, 0.739, 0.734, 0.729, 0.724, 0.720, 0.716, 0.712, 0.708],
    "c4": [0.7979, 0.8862, 0.9213, 0.9400, 0.9515, 0.9594, 0.9650, 0.9693, 0.9727, 0.9754,
           0.9776, 0.9794, 0.9810, 0.9823, 0.9835, 0.9845, 0.9854, 0.9862, 0.9869, 0.9876,
           0.9882, 0.9887, 0.9892, 0.9896],
    "A2": [1.880, 1.023, 0.729, 0.577, 0.483, 0.419, 0.373, 0.337, 0.308, 0.285, 0.266, 0.249,
           0.235, 0.223, 0.212, 0.203, 0.194, 0.187, 0.180, 0.173, 0.167, 0.162, 0.157, 0.153],
    "A3": [2.659, 1.954, 1.628, 1.427, 1.287, 1.182, 1.099, 1.032, 0.975, 0.927, 0.886, 0.850,
           0.817, 0.789, 0.763, 0.739, 0.718, 0.698, 0.680, 0.663, 0.647, 0.633, 0.619, 0.606],
    "D3": [0, 0, 0, 0, 0, 0.076, 0.136, 0.184, 0.223, 0.256, 0.283, 0.307,
           0.328, 0.347, 0.363, 0.378, 0.391, 0.403, 0.415, 0.425, 0.434, 0.443, 0.451, 0.459],
    "D4": [3.267, 2.574, 2.282, 2.114, 2.004, 1.924, 1.864, 1.816, 1.777, 1.744, 1.717, 1.693,
           1.672, 1.653, 1.637, 1.622, 1.608, 1.597, 1.585, 1.575, 1.566, 1.557, 1.548, 1.541],
    "B3": [0, 0, 0, 0, 0.030, 0.118, 0.185, 0.239, 0.284, 0.321, 0.354, 0.382,
           0.406, 0.428, 0.448, 0.466, 0.482, 0.497, 0.510, 0.523, 0.534, 0.545, 0.555, 0.565],
    "B4": [3.267, 2.568, 2.266, 2.089, 1.970, 1.882, 1.815, 1.761, 1.716, 1.679, 1.646, 1.618,
           1.594, 1.572, 1.552, 1.534, 1.518, 1.503, 1.490, 1.477, 1.466, 1.455, 1.445, 1.435],
}
DECIMALS = {"c4": 4}  # everything else is printed to 3 decimals


def d2_of(n):
    # E[R] = integral of 1 - Phi(x)^n - (1-Phi(x))^n; even integrand, so 2 * (0, inf).
    # -expm1(n log Phi) keeps the tail of 1 - Phi^n accurate.
    f = lambda x: -math.expm1(n * special.log_ndtr(x)) - special.ndtr(-x) ** n
    v, _ = integrate.quad(f, 0, np.inf, epsabs=1e-14, epsrel=1e-13, limit=400)
    return 2 * v


def d3_of(n, d2):
    # E[R^2] = 2 * double integral over s < t of P(min <= s, max >= t)
    #        = 2 * int int [1 - (1-Phi(s))^n - Phi(t)^n + (Phi(t)-Phi(s))^n] ds dt.
    Phi = special.ndtr

    def f(s, t):
        return 1 - Phi(-s) ** n - Phi(t) ** n + (Phi(t) - Phi(s)) ** n

    v, _ = integrate.dblquad(f, -10, 10, lambda t: -10, lambda t: t, epsabs=1e-14, epsrel=1e-13)
    return math.sqrt(2 * v - d2 * d2)


def c4_of(n):
    return math.sqrt(2 / (n - 1)) * math.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))


def build_constants():
    rows = {}
    for n in range(2, 26):
        d2 = d2_of(n)
        d3 = d3_of(n, d2)
        c4 = c4_of(n)
        w = 3 * math.sqrt(1 - c4 * c4) / c4
        rows[n] = {
            "n": n, "d2": d2, "d3": d3, "c4": c4,
            "A2": 3 / (d2 * math.sqrt(n)), "A3": 3 / (c4 * math.sqrt(n)),
            "D3": max(0.0, 1 - 3 * d3 / d2), "D4": 1 + 3 * d3 / d2,
            "B3": max(0.0, 1 - w), "B4": 1 + w,
        }
    # Closed forms: range of 2 normals has E = 2/sqrt(pi), E[R^2] = 2;
    # of 3 normals E = 3/sqrt(pi), E[R^2] = 2 + 3 sqrt(3)/pi.
    closed = {
        2: (2 / math.sqrt(math.pi), math.sqrt(2 - 4 / math.pi), math.sqrt(2 / math.pi)),
        3: (3 / math.sqrt(math.pi), math.sqrt(2 + 3 * math.sqrt(3) / math.pi - 9 / math.pi), math.sqrt(math.pi) / 2),
    }
    for n, (d2, d3, c4) in closed.items():
        for k, want in (("d2", d2), ("d3", d3), ("c4", c4)):
            got = rows[n][k]
            assert abs(got - want) <= 1e-12 * want, f"{k}({n}) = {got!r}, closed form {want!r}"
    for k, table in PUBLISHED.items():
        unit = 10.0 ** -DECIMALS.get(k, 3)
        for n, pub in zip(range(2, 26), table):
            got = rows[n][k]
            assert abs(got - pub) <= unit * 1.0000001, f"{k}({n}) = {got:.6f}, published {pub}"
    return rows


# ----------------------------------------------------------------------------
# Engine (reference)
# ----------------------------------------------------------------------------

class SpcError(Exception):
    def __init__(self, field, msg):
        super().__init__(f"{field}: {msg}")
        self.field = field


NELSON = [f"nelson-{i}" for i in range(1, 9)]
WE = [f"we-{i}" for i in range(1, 5)]
RULE_ORDER = NELSON + WE + ["ewma-limit", "cusum-upper", "cusum-lower"]
GROUPS = {"nelson": NELSON, "westernelectric": WE}
CHARTS = ["xmr", "xbar-r", "xbar-s", "p", "np", "u", "c", "ewma", "cusum"]
ATTRIBUTE = {"p", "np", "u", "c"}
SIZED = {"p", "np", "u"}


def expand_rules(names):
    want = set()
    for raw in names:
        name = raw.strip().lower()
        if name in GROUPS:
            want.update(GROUPS[name])
        elif name in NELSON or name in WE:
            want.add(name)
        else:
            raise SpcError("rules", f"unknown rule {raw!r}")
    return [r for r in RULE_ORDER if r in want]


def windows_all(mask, m):
    """Indices i where mask[i-m+1..i] are all true."""
    if len(mask) < m:
        return np.array([], dtype=int)
    return np.nonzero(sliding_window_view(mask, m).all(axis=1))[0] + m - 1


def k_of_m(q, k, m):
    """(i, qualifying points) where >= k of the m points ending at i qualify and i does.

    Near the start the window is the points that exist (two qualifying points at
    0 and 1 fire 2-of-3 at 1; otherwise they could never fire, as point 2 must qualify).
    """
    cs = np.concatenate([[0], np.cumsum(q.astype(int))])
    idx = np.arange(len(q))
    lo = np.maximum(0, idx - m + 1)
    counts = cs[idx + 1] - cs[lo]
    return [(int(i), [int(p) for p in range(lo[i], i + 1) if q[p]]) for i in np.nonzero((counts >= k) & q)[0]]


def run_rules(x, c, s, ucl, lcl, rules):
    found = []  # (index, rule, points)
    d = x - c
    side_up, side_dn = d > 0, d < 0
    steps = np.sign(np.diff(x))

    def runs(rule, mask, m):
        for i in windows_all(mask, m):
            found.append((int(i), rule, list(range(i - m + 1, i + 1))))

    for rule in rules:
        if rule in ("nelson-1", "we-1"):
            for i in np.nonzero((x > ucl) | (x < lcl))[0]:
                found.append((int(i), rule, [int(i)]))
        elif rule in ("nelson-2", "we-4"):
            m = 9 if rule == "nelson-2" else 8
            runs(rule, side_up, m)
            runs(rule, side_dn, m)
        elif rule == "nelson-3":
            # 6 points = 5 steps, all up or all down; a flat step breaks it.
            for mask in (steps > 0, steps < 0):
                for j in windows_all(mask, 5):
                    i = j + 1
                    found.append((int(i), rule, list(range(i - 5, i + 1))))
        elif rule == "nelson-4":
            # 14 points = 13 nonzero steps, each the opposite sign of the last.
            flips = steps[:-1] * steps[1:] == -1
            for j in windows_all(flips, 12):
                i = j + 2
                found.append((int(i), rule, list(range(i - 13, i + 1))))
        elif rule in ("nelson-5", "we-2"):
            for q in (d > 2 * s, d < -2 * s):
                found += [(int(i), rule, [int(p) for p in pts]) for i, pts in k_of_m(q, 2, 3)]
        elif rule in ("nelson-6", "we-3"):
            for q in (d > s, d < -s):
                found += [(int(i), rule, [int(p) for p in pts]) for i, pts in k_of_m(q, 4, 5)]
        elif rule == "nelson-7":
            runs(rule, np.abs(d) < s, 15)
        elif rule == "nelson-8":
            runs(rule, np.abs(d) > s, 8)
    return found


def parse_time(t):
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


def fmt_time(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def finite_array(vals, field):
    out = []
    for i, v in enumerate(vals):
        f = float("nan") if v == "NaN" else float("inf") if v == "Inf" else float("-inf") if v == "-Inf" else float(v)
        if not math.isfinite(f):
            raise SpcError(f"{field}[{i}]", "not a finite number")
        out.append(f)
    return np.asarray(out, dtype=float)


def check_params(chart, opt):
    def num(key, ok, what):
        if key in opt and opt[key] is not None:
            v = opt[key]
            if not (isinstance(v, (int, float)) and math.isfinite(v) and ok(v)):
                raise SpcError(key, f"must be {what}")
            return float(v)
        return None

    lam = num("lambda", lambda v: 0 < v <= 1, "in (0, 1]")
    L = num("L", lambda v: v > 0, "> 0")
    k = num("k", lambda v: v >= 0, ">= 0")
    h = num("h", lambda v: v > 0, "> 0")
    for key, v, owner in (("lambda", lam, "ewma"), ("L", L, "ewma"), ("k", k, "cusum"), ("h", h, "cusum")):
        if v is not None and chart != owner:
            raise SpcError(key, f"only the {owner} chart takes {key}")
    mode = opt.get("ewmaLimits") or None
    if mode is not None and (chart != "ewma" or mode not in ("exact", "asymptotic")):
        raise SpcError("ewmaLimits", "must be exact or asymptotic, ewma only")
    return lam, L, k, h, mode


def compute(inp, opt):
    chart = opt.get("chart")
    if chart not in CHARTS:
        raise SpcError("chart", f"unknown chart {chart!r}")
    raw = inp.get("values") or []
    if len(raw) == 0:
        raise SpcError("values", "no values")
    x = finite_array(raw, "values")

    sub = opt.get("subgroup") or 0
    if chart in ("xbar-r", "xbar-s"):
        if not 2 <= sub <= 25:
            raise SpcError("subgroup", "must be between 2 and 25")
        if len(x) % sub:
            raise SpcError("values", f"{len(x)} values do not split into subgroups of {sub}")
    elif sub not in (0, 1):
        raise SpcError("subgroup", "only xbar-r and xbar-s take a subgroup size")
    lam, L, k, h, mode = check_params(chart, opt)

    sizes = None
    if inp.get("sizes") is not None:
        if chart not in SIZED:
            raise SpcError("sizes", f"the {chart} chart takes no sample sizes")
        sizes = finite_array(inp["sizes"], "sizes")
        if len(sizes) != len(x):
            raise SpcError("sizes", "one size per value")
        bad = np.nonzero(sizes <= 0)[0]
        if len(bad):
            raise SpcError(f"sizes[{bad[0]}]", "must be > 0")
    elif chart in SIZED:
        raise SpcError("sizes", f"the {chart} chart needs sample sizes")
    if chart in ATTRIBUTE:
        bad = np.nonzero(x < 0)[0]
        if len(bad):
            raise SpcError(f"values[{bad[0]}]", "counts must be >= 0")
    if chart in ("p", "np"):
        bad = np.nonzero(x > sizes)[0]
        if len(bad):
            raise SpcError(f"values[{bad[0]}]", "defectives exceed the sample size")
    if chart == "np" and np.any(sizes != sizes[0]):
        raise SpcError("sizes", "the np chart needs a constant sample size (use p)")

    times = None
    if inp.get("times") is not None:
        times = [parse_time(t) for t in inp["times"]]
        if len(times) != len(x):
            raise SpcError("times", "one time per value")
        for i in range(1, len(times)):
            if times[i] < times[i - 1]:
                raise SpcError(f"times[{i}]", "times must not decrease")

    rules = expand_rules(opt.get("rules") or [])
    if rules and chart in ("ewma", "cusum"):
        raise SpcError("rules", f"run rules do not apply to the {chart} chart")

    # Plotted points: subgroups for X-bar charts, else one per value.
    groups = x.reshape(-1, sub) if chart in ("xbar-r", "xbar-s") else None
    m = len(groups) if groups is not None else len(x)
    ptimes = None
    if times is not None:
        ptimes = times[sub - 1::sub] if groups is not None else times

    frozen = opt.get("frozen") or {}
    fz = {kk: frozen.get(kk) for kk in ("center", "sigma", "ucl", "lcl")}
    check_frozen(chart, fz, sizes)
    full = fz["center"] is not None and (fz["sigma"] is not None or fz["ucl"] is not None or chart in ATTRIBUTE)
    b = opt.get("baseline") or {}
    if full and b:
        raise SpcError("baseline", "nothing to estimate: center and sigma are frozen")
    first, last = select_baseline(m, ptimes, b)
    needs_mr = chart in ("xmr", "ewma", "cusum") and fz["sigma"] is None and fz["ucl"] is None
    if needs_mr and last - first + 1 < 2:
        raise SpcError("baseline" if b else "values", f"the {chart} chart needs at least 2 points to estimate sigma")

    out = {"chart": chart, "params": {}, "dispersion": None}
    if chart in ("xmr", "ewma", "cusum"):
        res = individuals(chart, x, first, last, fz, lam, L, k, h, mode, out)
    elif groups is not None:
        res = subgroups(chart, groups, first, last, fz, out)
    else:
        res = attributes(chart, x, sizes, first, last, fz, out)
    value, center, ucl, lcl, sig, extra, found = res
    found = found + run_rules(value, center, sig, ucl, lcl, rules)
    return assemble(out, value, center, ucl, lcl, sig, extra, found, ptimes, None if full else (first, last))


def check_frozen(chart, fz, sizes):
    for kk, v in fz.items():
        if v is not None and not (isinstance(v, (int, float)) and math.isfinite(v)):
            raise SpcError(f"frozen.{kk}", "must be a finite number")
    c, s, u, lo = fz["center"], fz["sigma"], fz["ucl"], fz["lcl"]
    if s is not None and s <= 0:
        raise SpcError("frozen.sigma", "must be > 0")
    if s is not None and chart in ATTRIBUTE:
        raise SpcError("frozen.sigma", f"the {chart} chart's sigma follows from its center")
    if (u is None) != (lo is None):
        raise SpcError("frozen", "give both ucl and lcl")
    if u is not None:
        if chart in ("ewma", "cusum"):
            raise SpcError("frozen", f"the {chart} chart computes its own limits; give center and sigma")
        if c is None or s is not None:
            raise SpcError("frozen", "limits need a center and no sigma")
        if not (lo <= c <= u and lo < u):
            raise SpcError("frozen", "need lcl <= center <= ucl and lcl < ucl")
    if c is not None and chart in ATTRIBUTE and c < 0:
        raise SpcError("frozen.center", "must be >= 0")
    if c is not None and chart == "p" and c > 1:
        raise SpcError("frozen.center", "a proportion must be <= 1")
    if c is not None and chart == "np" and c > sizes[0]:
        raise SpcError("frozen.center", "must be <= n")


def select_baseline(m, ptimes, b):
    if not b:
        return 0, m - 1
    has_n = b.get("points") is not None
    has_t = b.get("from") is not None or b.get("to") is not None
    if has_n and has_t:
        raise SpcError("baseline", "give points or a time range, not both")
    if has_n:
        n = b["points"]
        if not 1 <= n <= m:
            raise SpcError("baseline", f"points must be between 1 and {m}")
        return 0, n - 1
    if ptimes is None:
        raise SpcError("baseline", "a time range needs times")
    lo = parse_time(b["from"]) if b.get("from") else None
    hi = parse_time(b["to"]) if b.get("to") else None
    if lo and hi and lo > hi:
        raise SpcError("baseline", "from is after to")
    idx = [i for i, t in enumerate(ptimes) if (lo is None or t >= lo) and (hi is None or t <= hi)]
    if not idx:
        raise SpcError("baseline", "no points in the time range")
    return idx[0], idx[-1]


def constant_limits(center, sigma, m, lo_clip=None, hi_clip=None):
    sig = np.full(m, sigma) if np.isscalar(sigma) else sigma
    ucl = center + 3 * sig
    lcl = center - 3 * sig
    if hi_clip is not None:
        ucl = np.minimum(ucl, hi_clip)
    if lo_clip is not None:
        lcl = np.maximum(lcl, lo_clip)
    return np.full(m, float(center)), ucl, lcl, sig


def frozen_limits(fz, m):
    c, u, lo = fz["center"], fz["ucl"], fz["lcl"]
    s = max(u - c, c - lo) / 3  # clipping only ever shrinks one side
    return np.full(m, float(c)), np.full(m, float(u)), np.full(m, float(lo)), np.full(m, s)


def dispersion(kind, idx, vals, center, factor_lo, factor_hi, pts_of):
    ucl, lcl = factor_hi * center, factor_lo * center
    viol = [(int(i), f"{kind}-limit", pts_of(int(i))) for i, v in zip(idx, vals) if v > ucl or v < lcl]
    return {"chart": kind, "center": center, "ucl": ucl, "lcl": lcl,
            "index": [int(i) for i in idx], "value": [float(v) for v in vals], "violations": viol}


def individuals(chart, x, first, last, fz, lam, L, k, h, mode, out):
    m = len(x)
    base = x[first:last + 1]
    mu = fz["center"] if fz["center"] is not None else float(np.mean(base))
    if fz["sigma"] is not None:
        sigma, mrbar = fz["sigma"], XMR_D2 * fz["sigma"]
    elif fz["ucl"] is not None:
        sigma = max(fz["ucl"] - mu, mu - fz["lcl"]) / 3
        mrbar = XMR_D2 * sigma
    else:
        mrbar = float(np.mean(np.abs(np.diff(base))))
        sigma = mrbar / XMR_D2
    out["processSigma"] = sigma
    extra, found = {}, []
    if chart == "xmr":
        if fz["ucl"] is not None:
            center, ucl, lcl, sig = frozen_limits(fz, m)
        else:
            center, ucl, lcl, sig = constant_limits(mu, sigma, m)
        mr = np.abs(np.diff(x))
        out["dispersion"] = dispersion("mr", range(1, m), mr, mrbar, CONST[2]["D3"], CONST[2]["D4"],
                                       lambda i: [i - 1, i])
        return x, center, ucl, lcl, sig, extra, found
    out["target"] = mu
    if chart == "ewma":
        lam = 0.2 if lam is None else lam
        L = 3.0 if L is None else L
        mode = mode or "exact"
        out["params"] = {"lambda": lam, "L": L, "ewmaLimits": mode}
        z, _ = signal.lfilter([lam], [1.0, -(1.0 - lam)], x, zi=[(1.0 - lam) * mu])
        i = np.arange(1, m + 1)
        grow = 1 - (1 - lam) ** (2 * i) if mode == "exact" else np.ones(m)
        sig = sigma * np.sqrt(lam / (2 - lam) * grow)
        ucl, lcl = mu + L * sig, mu - L * sig
        for j in np.nonzero((z > ucl) | (z < lcl))[0]:
            found.append((int(j), "ewma-limit", [int(j)]))
        extra["observation"] = x
        return z, np.full(m, mu), ucl, lcl, sig, extra, found
    # Tabular CUSUM in Lindley form: C_i = S_i - min(0, S_1..S_i).
    k = 0.5 if k is None else k
    h = 5.0 if h is None else h
    out["params"] = {"k": k, "h": h}
    K, H = k * sigma, h * sigma
    cp, start_p = lindley(x - mu - K)
    cm, start_m = lindley(mu - K - x)
    for j in range(m):
        if cp[j] > H:
            found.append((j, "cusum-upper", list(range(start_p[j], j + 1))))
        if cm[j] > H:
            found.append((j, "cusum-lower", list(range(start_m[j], j + 1))))
    extra.update(observation=x, cplus=cp, cminus=cm)
    return cp, np.zeros(m), np.full(m, H), np.full(m, -H), np.full(m, sigma), extra, found


def lindley(y):
    s = np.concatenate([[0.0], np.cumsum(y)])
    run_min = np.minimum.accumulate(s)
    c = (s - run_min)[1:]
    # The current excursion starts just after the last index where S hit its running minimum.
    last_min = np.maximum.accumulate(np.where(s == run_min, np.arange(len(s)), 0))
    return c, last_min[1:]  # S index j+1 is point j, so start point = last_min


def subgroups(chart, groups, first, last, fz, out):
    m, n = groups.shape
    out["params"] = {"subgroup": int(n)}
    cst = CONST[n]
    means = groups.mean(axis=1)
    base = slice(first, last + 1)
    mu = fz["center"] if fz["center"] is not None else float(np.mean(means[base]))
    if chart == "xbar-r":
        disp = groups.max(axis=1) - groups.min(axis=1)
        unbias, lo, hi, kind = cst["d2"], cst["D3"], cst["D4"], "r"
    else:
        disp = groups.std(axis=1, ddof=1)
        unbias, lo, hi, kind = cst["c4"], cst["B3"], cst["B4"], "s"
    if fz["sigma"] is not None:
        sp = fz["sigma"]
        dcenter = unbias * sp
    elif fz["ucl"] is not None:
        sp = max(fz["ucl"] - mu, mu - fz["lcl"]) / 3 * math.sqrt(n)
        dcenter = unbias * sp
    else:
        dcenter = float(np.mean(disp[base]))
        sp = dcenter / unbias
    out["processSigma"] = sp
    if fz["ucl"] is not None:
        center, ucl, lcl, sig = frozen_limits(fz, m)
    else:
        center, ucl, lcl, sig = constant_limits(mu, sp / math.sqrt(n), m)
    out["dispersion"] = dispersion(kind, range(m), disp, dcenter, lo, hi, lambda i: [i])
    return means, center, ucl, lcl, sig, {}, []


def attributes(chart, x, sizes, first, last, fz, out):
    m = len(x)
    base = slice(first, last + 1)
    extra = {"n": sizes} if sizes is not None else {}
    if fz["ucl"] is not None:
        c, u, lo, s = frozen_limits(fz, m)
        value = x / sizes if chart in ("p", "u") else x
        return value, c, u, lo, s, extra, []
    if chart == "p":
        pbar = fz["center"] if fz["center"] is not None else x[base].sum() / sizes[base].sum()
        sig = np.sqrt(pbar * (1 - pbar) / sizes)
        c, u, lo, s = constant_limits(pbar, sig, m, lo_clip=0.0, hi_clip=1.0)
        return x / sizes, c, u, lo, s, extra, []
    if chart == "np":
        n = sizes[0]
        pbar = fz["center"] / n if fz["center"] is not None else x[base].sum() / sizes[base].sum()
        center = fz["center"] if fz["center"] is not None else n * pbar
        c, u, lo, s = constant_limits(center, math.sqrt(n * pbar * (1 - pbar)), m, lo_clip=0.0, hi_clip=n)
        return x, c, u, lo, s, extra, []
    if chart == "u":
        ubar = fz["center"] if fz["center"] is not None else x[base].sum() / sizes[base].sum()
        c, u, lo, s = constant_limits(ubar, np.sqrt(ubar / sizes), m, lo_clip=0.0)
        return x / sizes, c, u, lo, s, extra, []
    cbar = fz["center"] if fz["center"] is not None else float(np.mean(x[base]))
    c, u, lo, s = constant_limits(cbar, math.sqrt(cbar), m, lo_clip=0.0)
    return x, c, u, lo, s, extra, []


def scalar_if_constant(a):
    return float(a[0]) if np.all(a == a[0]) else None


def assemble(out, value, center, ucl, lcl, sig, extra, found, ptimes, baseline):
    m = len(value)
    found.sort(key=lambda f: (f[0], RULE_ORDER.index(f[1])))
    per_point = [[] for _ in range(m)]
    viols = []
    for i, rule, pts in found:
        per_point[i].append(rule)
        v = {"rule": rule, "index": i, "points": pts}
        if ptimes is not None:
            v["time"] = fmt_time(ptimes[i])
        viols.append(v)
    in_base = [False] * m
    bl = None
    if baseline is not None:
        first, last = baseline
        in_base[first:last + 1] = [True] * (last - first + 1)
        bl = {"first": first, "last": last}
        if ptimes is not None:
            bl["from"], bl["to"] = fmt_time(ptimes[first]), fmt_time(ptimes[last])
    points = {}
    if ptimes is not None:
        points["time"] = [fmt_time(t) for t in ptimes]
    fl = lambda a: [float(v) for v in a]
    points.update(value=fl(value), center=fl(center), ucl=fl(ucl), lcl=fl(lcl), sigma=fl(sig))
    for key in ("n", "observation", "cplus", "cminus"):
        if key in extra:
            points[key] = fl(extra[key])
    points["baseline"] = in_base
    points["violations"] = per_point
    res = {
        "chart": out["chart"],
        "center": float(center[0]),
        "ucl": scalar_if_constant(ucl),
        "lcl": scalar_if_constant(lcl),
        "sigma": scalar_if_constant(sig),
    }
    if "processSigma" in out:
        res["processSigma"] = float(out["processSigma"])
    if "target" in out:
        res["target"] = float(out["target"])
    res["params"] = out["params"]
    res["baseline"] = bl
    res["points"] = points
    res["violations"] = viols
    d = out["dispersion"]
    if d is not None:
        dv = []
        for i, rule, pts in d["violations"]:
            v = {"rule": rule, "index": i, "points": pts}
            if ptimes is not None:
                v["time"] = fmt_time(ptimes[i])
            dv.append(v)
        d = dict(d, center=float(d["center"]), ucl=float(d["ucl"]), lcl=float(d["lcl"]), violations=dv)
        res["dispersion"] = d
    return res


CONST = {}

# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------

ALL_RULES = ["nelson", "westernelectric"]
UNIT = {"center": 0.0, "sigma": 1.0}  # frozen N(0,1) limits: zones at exactly +-1, 2, 3


def hours(n, start="2024-03-01T00:00:00Z", step=3600):
    t0 = parse_time(start)
    return [fmt_time(t0 + timedelta(seconds=step * i)) for i in range(n)]


def rnd(seed, n, loc=0.0, scale=1.0):
    return [round(float(v), 3) for v in np.random.default_rng(seed).normal(loc, scale, n)]


def case(name, values, chart="xmr", expect=None, **kw):
    inp = {"values": values}
    for key in ("sizes", "times"):
        if key in kw:
            inp[key] = kw.pop(key)
    opt = {"chart": chart, **kw}
    return {"name": name, "input": inp, "options": opt, "_expect": expect}


def rule_cases():
    alt = lambda k: [0.5 if i % 2 == 0 else -0.5 for i in range(k)]
    within = lambda k: [[0.2, 0.3, -0.2, -0.3][i % 4] for i in range(k)]
    outside = lambda k: [1.5 if i % 2 == 0 else -1.5 for i in range(k)]
    mk = lambda name, vals, expect: case(name, vals, rules=ALL_RULES, frozen=UNIT, expect=expect)
    return [
        mk("run-8-one-side", [-0.5] + [0.5] * 8 + [-0.5], {"we-4": [8], "nelson-2": []}),
        mk("run-9-one-side", [-0.5] + [0.5] * 9 + [-0.5], {"we-4": [8, 9], "nelson-2": [9]}),
        mk("run-10-one-side-overlaps", [-0.5] + [0.5] * 10 + [-0.5], {"nelson-2": [9, 10]}),
        mk("run-broken-by-center", [0.5] * 5 + [0.0] + [0.5] * 5, {"we-4": [], "nelson-2": []}),
        mk("trend-5-up", [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.2], {"nelson-3": []}),
        mk("trend-6-up", [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.2], {"nelson-3": [6]}),
        mk("trend-7-down", [-0.9, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, 0.4], {"nelson-3": [6, 7]}),
        mk("trend-broken-by-tie", [0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6], {"nelson-3": []}),
        mk("alternating-13", alt(13) + [0.5, 0.5], {"nelson-4": []}),
        mk("alternating-14", [0.5] + alt(14) + [-0.5], {"nelson-4": [14]}),
        mk("alternating-15", alt(15) + [0.5], {"nelson-4": [13, 14]}),
        mk("within-1-sigma-14", [1.5] + within(14) + [1.5], {"nelson-7": []}),
        mk("within-1-sigma-15", [1.5] + within(15) + [1.5], {"nelson-7": [15]}),
        mk("on-1-sigma-is-not-within", within(7) + [1.0] + within(7), {"nelson-7": []}),
        mk("outside-1-sigma-7", [0.0] + outside(7) + [0.0], {"nelson-8": []}),
        mk("outside-1-sigma-8", [0.0] + outside(8) + [0.0], {"nelson-8": [8]}),
        mk("on-1-sigma-is-not-outside", outside(4) + [1.0] + outside(4), {"nelson-8": []}),
        mk("2-of-3-fires", [0.0, 2.5, 0.0, 2.5, 0.0], {"nelson-5": [3], "we-2": [3]}),
        mk("2-of-4-spread-does-not", [0.0, 2.5, 0.0, 0.0, 2.5, 0.0], {"nelson-5": []}),
        mk("2-of-3-opposite-sides-does-not", [2.5, 0.0, -2.5, 0.0], {"nelson-5": []}),
        mk("2-of-3-on-2-sigma-does-not", [2.0, 2.0, 2.0, -2.0, -2.0], {"nelson-5": []}),
        mk("2-of-3-last-point-must-qualify", [2.5, 2.5, 0.0, 0.0], {"nelson-5": [1]}),
        mk("2-of-3-below", [-2.1, -0.3, -2.2, -2.3], {"nelson-5": [2, 3]}),
        mk("4-of-5-fires", [1.5, 1.5, 0.0, 1.5, 1.5, 0.0], {"nelson-6": [4], "we-3": [4]}),
        mk("3-of-5-does-not", [1.5, 0.0, 1.5, 0.0, 1.5, 1.5, 0.0], {"nelson-6": []}),
        mk("4-of-5-below-then-5-of-5", [-1.2, -1.3, 0.5, -1.4, -1.5, -1.6, -1.1], {"nelson-6": [4, 5, 6]}),
        mk("beyond-limits-edge", [3.0, 3.01, -3.0, -3.5, 0.0], {"nelson-1": [1, 3], "we-1": [1, 3]}),
        case("single-rules-selected", [0.5] * 10 + [3.5], rules=["nelson-2", "nelson-1"], frozen=UNIT,
             expect={"nelson-2": [8, 9, 10], "nelson-1": [10], "we-4": []}),
        case("mixed-case-rule-names", [0.5] * 9, rules=[" Nelson-2 ", "WE-4"], frozen=UNIT,
             expect={"nelson-2": [8], "we-4": [7, 8]}),
        case("shift-all-rules-estimated", rnd(11, 40, 50, 2) + rnd(12, 30, 53, 2), rules=ALL_RULES),
        case("p-chart-variable-n-rules", p_variable()[0], chart="p", sizes=p_variable()[1], rules=ALL_RULES),
    ]


def p_variable():
    rng = np.random.default_rng(21)
    n = rng.integers(80, 400, 40)
    p = np.r_[np.full(25, 0.05), np.full(15, 0.09)]
    d = rng.binomial(n, p)
    return [float(v) for v in d], [float(v) for v in n]


def xmr_cases():
    signed = rnd(31, 30, 0.0, 1.5)  # e.g. a day-over-day change: negative values are real
    t = hours(50)
    return [
        case("signed-quantity-negative-lcl", signed, rules=["nelson"]),
        case("textbook-mr", [39.1, 38.7, 40.2, 39.3, 38.9, 40.3, 39.8, 38.5, 39.9, 40.1, 39.5, 39.0], rules=["nelson-1"]),
        case("baseline-first-20-phase-ii", rnd(41, 20, 10, 1) + rnd(42, 30, 12, 1), rules=ALL_RULES,
             baseline={"points": 20}),
        case("baseline-time-range-middle", rnd(43, 50, 100, 5), times=t, rules=["nelson"],
             baseline={"from": t[10], "to": t[29]}),
        case("baseline-time-range-open-end", rnd(44, 12, 5, 1), times=hours(12, step=900), rules=["we-1"],
             baseline={"from": hours(12, step=900)[4]}),
        case("frozen-center-and-sigma", rnd(45, 25, 20, 2), rules=ALL_RULES, frozen={"center": 19.0, "sigma": 1.5}),
        case("frozen-center-only", rnd(46, 25, 20, 2), rules=["nelson-1"], frozen={"center": 21.0}, baseline={"points": 10}),
        case("frozen-limits-asymmetric", rnd(47, 25, 5, 1), rules=ALL_RULES,
             frozen={"center": 5.0, "ucl": 8.0, "lcl": 3.0}),
        case("constant-values-zero-sigma", [4.0] * 6, rules=ALL_RULES),
        case("two-points", [1.0, 3.0], rules=ALL_RULES),
    ]


def xbar_cases():
    out = []
    for n, seed in ((2, 51), (3, 52), (5, 53), (8, 54), (10, 55), (25, 56)):
        vals = rnd(seed, 20 * n, 74.0, 0.01 * n)
        out.append(case(f"xbar-r-n{n}", vals, chart="xbar-r", subgroup=n, rules=ALL_RULES))
        out.append(case(f"xbar-s-n{n}", vals, chart="xbar-s", subgroup=n, rules=ALL_RULES))
    shifted = rnd(57, 60, 10, 1) + rnd(58, 40, 11.5, 1)
    out += [
        case("xbar-r-n5-phase-ii", shifted, chart="xbar-r", subgroup=5, rules=ALL_RULES, baseline={"points": 12}),
        case("xbar-s-n4-phase-ii", shifted, chart="xbar-s", subgroup=4, rules=ALL_RULES, baseline={"points": 15}),
        case("xbar-r-n7-d3-nonzero", rnd(59, 70, 3, 0.5), chart="xbar-r", subgroup=7, rules=["nelson-1"]),
        case("xbar-s-n6-b3-nonzero", rnd(60, 60, 3, 0.5), chart="xbar-s", subgroup=6, rules=["nelson-1"]),
        case("xbar-r-frozen-sigma", rnd(61, 40, 10, 1), chart="xbar-r", subgroup=4, rules=ALL_RULES,
             frozen={"center": 10.0, "sigma": 1.0}),
        case("xbar-s-frozen-limits", rnd(62, 40, 10, 1), chart="xbar-s", subgroup=5, rules=["nelson-1", "nelson-5"],
             frozen={"center": 10.0, "ucl": 11.5, "lcl": 8.5}),
        case("xbar-r-times", rnd(63, 30, 1, 0.1), chart="xbar-r", subgroup=3, times=hours(30, step=60),
             rules=["nelson-1"], baseline={"to": hours(30, step=60)[17]}),
    ]
    return out


def attribute_cases():
    d, n = p_variable()
    rng = np.random.default_rng(71)
    u_n = [float(v) for v in np.round(rng.uniform(0.5, 3.0, 30), 2)]
    u_c = [float(v) for v in rng.poisson(np.array(u_n) * np.r_[np.full(20, 4.0), np.full(10, 7.0)])]
    c_vals = [float(v) for v in np.random.default_rng(72).poisson(np.r_[np.full(20, 3.0), np.full(8, 9.0)])]
    np_vals = [float(v) for v in np.random.default_rng(73).binomial(50, 0.08, 30)]
    return [
        case("p-variable-n", d, chart="p", sizes=n, rules=["nelson-1"]),
        case("p-variable-n-baseline", d, chart="p", sizes=n, rules=ALL_RULES, baseline={"points": 25}),
        case("p-constant-n", np_vals, chart="p", sizes=[50.0] * 30, rules=ALL_RULES),
        case("p-ucl-clipped-at-1", [4.0, 5.0, 3.0, 5.0, 4.0], chart="p", sizes=[5.0, 6.0, 5.0, 8.0, 5.0], rules=["nelson-1"]),
        case("p-frozen-center", d, chart="p", sizes=n, rules=["nelson-1", "nelson-2"], frozen={"center": 0.05}),
        case("np-constant-n", np_vals, chart="np", sizes=[50.0] * 30, rules=ALL_RULES),
        case("np-ucl-clipped-at-n", [9.0, 8.0, 10.0, 9.0], chart="np", sizes=[10.0] * 4, rules=["nelson-1"]),
        case("u-variable-n", u_c, chart="u", sizes=u_n, rules=ALL_RULES, baseline={"points": 20}),
        case("c-chart", c_vals, chart="c", rules=ALL_RULES, baseline={"points": 20}),
        case("c-chart-all-points", c_vals, chart="c", rules=["nelson-1"]),
        case("c-chart-frozen-limits", c_vals, chart="c", rules=["nelson-1"], frozen={"center": 3.0, "ucl": 8.2, "lcl": 0.0}),
        case("c-chart-zero-center", [0.0, 0.0, 0.0, 1.0], chart="c", rules=["nelson-1"], baseline={"points": 3}),
    ]


# Montgomery 7th ed. Table 9.1: mu0 = 10, sigma = 1; first 20 in control, last 10 shifted by 1 sigma.
MONTGOMERY_9_1 = [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40, 10.08,
                  9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52]


def ewma_cases():
    return [
        case("montgomery-9-1-lambda-0.1-L-2.7", MONTGOMERY_9_1, chart="ewma", frozen={"center": 10.0, "sigma": 1.0},
             **{"lambda": 0.1, "L": 2.7}),
        case("defaults-estimated-sigma", rnd(81, 40, 50, 2) + rnd(82, 20, 51.5, 2), chart="ewma", baseline={"points": 40}),
        case("asymptotic-limits", MONTGOMERY_9_1, chart="ewma", frozen={"center": 10.0, "sigma": 1.0},
             ewmaLimits="asymptotic", **{"lambda": 0.1, "L": 2.7}),
        case("lambda-1-is-shewhart", rnd(83, 15, 0, 1) + [4.0], chart="ewma", frozen={"center": 0.0, "sigma": 1.0},
             **{"lambda": 1.0, "L": 3.0}),
        case("downward-with-times", rnd(84, 30, 5, 0.5) + rnd(85, 15, 4.4, 0.5), chart="ewma", times=hours(45),
             baseline={"to": hours(45)[29]}, **{"lambda": 0.25}),
    ]


def cusum_cases():
    return [
        case("montgomery-9-1-k-0.5-h-5", MONTGOMERY_9_1, chart="cusum", frozen={"center": 10.0, "sigma": 1.0}),
        case("estimated-defaults", rnd(91, 30, 20, 1) + rnd(92, 30, 19.2, 1), chart="cusum", baseline={"points": 30}),
        case("k-0.25-h-4-both-sides", rnd(93, 20, 0, 1) + rnd(94, 15, 0.9, 1) + rnd(95, 15, -0.9, 1), chart="cusum",
             frozen={"center": 0.0, "sigma": 1.0}, k=0.25, h=4.0, times=hours(50, step=60)),
    ]


def error_cases():
    e = lambda name, field, values, **kw: dict(case(name, values, **kw), _error=field)
    return [
        e("empty", "values", []),
        e("nan", "values[2]", [1.0, 2.0, "NaN", 4.0]),
        e("inf", "values[1]", [1.0, "Inf"]),
        e("neg-inf", "values[0]", ["-Inf", 1.0]),
        e("xmr-one-point", "values", [1.0]),
        e("xmr-baseline-one-point", "baseline", [1.0, 2.0, 3.0], baseline={"points": 1}),
        e("unknown-chart", "chart", [1.0, 2.0], chart="xyz"),
        e("subgroup-1", "subgroup", [1.0, 2.0, 3.0, 4.0], chart="xbar-r", subgroup=1),
        e("subgroup-26", "subgroup", [1.0] * 52, chart="xbar-s", subgroup=26),
        e("subgroup-missing", "subgroup", [1.0] * 4, chart="xbar-r"),
        e("subgroup-on-xmr", "subgroup", [1.0] * 4, subgroup=2),
        e("ragged-subgroups", "values", [1.0] * 7, chart="xbar-r", subgroup=3),
        e("p-n-zero", "sizes[1]", [1.0, 1.0], chart="p", sizes=[10.0, 0.0]),
        e("p-n-negative", "sizes[0]", [1.0, 1.0], chart="p", sizes=[-1.0, 10.0]),
        e("p-defectives-exceed-n", "values[1]", [1.0, 11.0], chart="p", sizes=[10.0, 10.0]),
        e("np-defectives-exceed-n", "values[0]", [12.0, 1.0], chart="np", sizes=[10.0, 10.0]),
        e("np-varying-n", "sizes", [1.0, 1.0], chart="np", sizes=[10.0, 12.0]),
        e("p-missing-sizes", "sizes", [1.0, 1.0], chart="p"),
        e("sizes-length", "sizes", [1.0, 1.0], chart="u", sizes=[1.0]),
        e("sizes-on-c", "sizes", [1.0, 1.0], chart="c", sizes=[1.0, 1.0]),
        e("negative-count", "values[1]", [1.0, -1.0], chart="c"),
        e("unknown-rule", "rules", [1.0, 2.0, 3.0], rules=["nelson-9"]),
        e("unknown-group", "rules", [1.0, 2.0, 3.0], rules=["westinghouse"]),
        e("rules-on-ewma", "rules", [1.0, 2.0, 3.0], chart="ewma", rules=["nelson-1"]),
        e("lambda-zero", "lambda", [1.0, 2.0, 3.0], chart="ewma", **{"lambda": 0.0}),
        e("lambda-above-1", "lambda", [1.0, 2.0, 3.0], chart="ewma", **{"lambda": 1.5}),
        e("L-negative", "L", [1.0, 2.0, 3.0], chart="ewma", L=-1.0),
        e("lambda-on-xmr", "lambda", [1.0, 2.0, 3.0], **{"lambda": 0.2}),
        e("k-negative", "k", [1.0, 2.0, 3.0], chart="cusum", k=-0.5),
        e("h-zero", "h", [1.0, 2.0, 3.0], chart="cusum", h=0.0),
        e("ewma-limits-mode", "ewmaLimits", [1.0, 2.0, 3.0], chart="ewma", ewmaLimits="sloppy"),
        e("baseline-too-long", "baseline", [1.0, 2.0, 3.0], baseline={"points": 4}),
        e("baseline-zero", "baseline", [1.0, 2.0, 3.0], baseline={"points": 0}),
        e("baseline-time-without-times", "baseline", [1.0, 2.0, 3.0], baseline={"from": "2024-03-01T00:00:00Z"}),
        e("baseline-empty-range", "baseline", [1.0, 2.0, 3.0], times=hours(3), baseline={"from": "2025-01-01T00:00:00Z"}),
        e("baseline-and-frozen", "baseline", [1.0, 2.0, 3.0], baseline={"points": 2}, frozen={"center": 1.0, "sigma": 1.0}),
        e("times-decrease", "times[2]", [1.0, 2.0, 3.0], times=[hours(3)[0], hours(3)[2], hours(3)[1]]),
        e("times-length", "times", [1.0, 2.0, 3.0], times=hours(2)),
        e("frozen-sigma-zero", "frozen.sigma", [1.0, 2.0], frozen={"center": 1.0, "sigma": 0.0}),
        e("frozen-sigma-on-p", "frozen.sigma", [1.0], chart="p", sizes=[10.0], frozen={"center": 0.1, "sigma": 0.1}),
        e("frozen-ucl-without-lcl", "frozen", [1.0, 2.0], frozen={"center": 1.0, "ucl": 4.0}),
        e("frozen-limits-around-center", "frozen", [1.0, 2.0], frozen={"center": 5.0, "ucl": 4.0, "lcl": 0.0}),
        e("frozen-limits-on-ewma", "frozen", [1.0, 2.0], chart="ewma", frozen={"center": 1.0, "ucl": 4.0, "lcl": 0.0}),
        e("frozen-p-center-above-1", "frozen.center", [1.0], chart="p", sizes=[10.0], frozen={"center": 1.2}),
    ]


def run_case(c):
    inp, opt = c["input"], c["options"]
    want_err = c.pop("_error", None)
    expect = c.pop("_expect", None)
    try:
        res = compute(inp, opt)
    except SpcError as err:
        assert want_err == err.field, f"{c['name']}: raised {err}, want field {want_err}"
        c["error"] = {"field": err.field, "message": str(err)}
        return c
    assert want_err is None, f"{c['name']}: expected error on {want_err}"
    for rule, idx in (expect or {}).items():
        got = [v["index"] for v in res["violations"] if v["rule"] == rule]
        assert got == idx, f"{c['name']}: {rule} fired at {got}, designed for {idx}"
    c["expected"] = res
    return c


def build():
    global CONST
    CONST = build_constants()
    head = lambda what: {
        "generator": "scripts/golden/spc.py (NumPy/SciPy reference; do not edit by hand)",
        "about": what,
        "tolerance": {"relative": 1e-9, "absolute": 1e-12},
    }
    files = {
        "constants.json": dict(head("SPC constants for subgroup sizes 2..25 at full precision; xmrD2 is the XmR divisor."),
                               xmrD2=XMR_D2, table=[CONST[n] for n in range(2, 26)]),
    }
    groups = {
        "rules": ("Run-rule edges on XmR points with frozen center 0 and sigma 1 (zones at exactly 1, 2, 3).", rule_cases),
        "xmr": ("Individuals and moving range charts, phase I and II.", xmr_cases),
        "xbar": ("X-bar R and X-bar S charts for several subgroup sizes.", xbar_cases),
        "attributes": ("p, np, u and c charts, variable and constant n.", attribute_cases),
        "ewma": ("EWMA with exact (time-varying) or asymptotic limits.", ewma_cases),
        "cusum": ("Tabular CUSUM; value is C+, cminus is C-, limits are +-H.", cusum_cases),
        "errors": ("Inputs every implementation must reject; error.field names what was wrong.", error_cases),
    }
    for stem, (about, make) in groups.items():
        files[f"{stem}.json"] = dict(head(about), cases=[run_case(c) for c in make()])
    return {k: json.dumps(v, indent=1) + "\n" for k, v in files.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite testdata/spc (default: check only)")
    args = ap.parse_args()
    files = build()
    stale = [name for name, text in files.items()
             if not (OUT / name).exists() or (OUT / name).read_text() != text]
    if args.write:
        OUT.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (OUT / name).write_text(text)
        print(f"wrote {len(files)} files to {OUT}")
        return 0
    if stale:
        print("out of date (run with --write): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(f"testdata/spc is up to date ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Replays the scoring method's variants over the raw errors `scripts/detect --errors DIR` dumped.

Usage: score_variants.py ERRORS_DIR MODEL_DIR OUTPUT_DIR VARIANT[,VARIANT...]
A variant is `+`-joined options: ens|lstm|trans (which score), spatial (NAB numenta detector's spatial anomaly,
5% tolerance), log (errors on a log scale), maxcomb / meancomb (max / mean of the two networks' scores), fisher,
stouffer, zmean, zmax (combinations of the per-network likelihoods), robust (median/MAD), every100 (re-estimate the
distribution every 100 steps, as NAB's numenta detector). `ens` alone reproduces the Java EnsembleScorer exactly
(same NAB scores). Writes OUTPUT_DIR/<variant>/<category>/<file>.csv for nab_score.py (see nab_table.sh).
A study tool, not part of the product: Python 3 + numpy.
"""
import csv, json, math, os, sys, glob
import numpy as np

ERR = sys.argv[1]
MODELS = sys.argv[2]
OUT = sys.argv[3]
VARIANTS = sys.argv[4].split(',')

def erfc_tail(z):
    return 0.5 * math.erfc(z / math.sqrt(2))

def score_of_tail(t):
    return min(1.0, max(0.0, math.log(t + 1e-10) / math.log(1e-10)))

class Normaliser:
    def __init__(self, prior_mean, prior_std, averaging=10, history=8640, min_history=100, floor=0.05, robust=False, every=1):
        self.robust = robust; self.every = every; self.n = 0; self.est = None
        self.pm, self.ps = prior_mean, prior_std
        self.avg = averaging; self.hist = history; self.minh = min_history; self.floor = floor
        self.recent = []; self.avgs = []; self.prev = 1.0
    def tail(self, raw):
        self.recent.append(raw)
        if len(self.recent) > self.avg: self.recent.pop(0)
        a = sum(self.recent) / len(self.recent)
        if len(self.avgs) >= self.minh:
            if self.est is None or self.n % self.every == 0:
                arr = self.avgs
                if self.robust:
                    x = np.array(arr); med = float(np.median(x)); mad = float(np.median(np.abs(x - med))) * 1.4826
                    self.est = (med, mad)
                else:
                    m = self.s / len(arr); v = max(0, self.ss / len(arr) - m * m); self.est = (m, math.sqrt(v))
            m, sd = self.est
            self.n += 1
        else:
            m, sd = self.pm, self.ps
        self.z = (a - m) / max(sd, self.floor)
        t = erfc_tail(self.z)
        f = 1e-3 if (t <= 1e-5 and self.prev <= 1e-5) else t
        self.prev = t
        self.raw = t
        if not self.avgs:
            self.s = 0.0; self.ss = 0.0
        if len(self.avgs) == self.hist:
            o = self.avgs.pop(0); self.s -= o; self.ss -= o * o
        self.avgs.append(a); self.s += a; self.ss += a * a
        return f

def read(path):
    ts, vals, le, te = [], [], [], []
    with open(path) as f:
        r = csv.reader(f); next(r)
        for row in r:
            ts.append(row[0]); vals.append(float(row[1]))
            le.append(float(row[2]) if row[2] else float('nan'))
            te.append(float(row[3]) if row[3] else float('nan'))
    return ts, np.array(vals), np.array(le), np.array(te)

def spatial(vals, tol=0.05):
    out = np.zeros(len(vals), dtype=bool)
    lo = hi = None
    for i, v in enumerate(vals):
        if lo is not None and hi != lo:
            t = (hi - lo) * tol
            if v > hi + t or v < lo - t:
                out[i] = True
        lo = v if lo is None or v < lo else lo
        hi = v if hi is None or v > hi else hi
    return out

def run(variant, rel, ts, vals, le, te, meta):
    n = len(vals)
    key = rel
    val = meta['validation']
    first = meta['trainingRange']['series'][key]['trainWindows'] + 23
    lm, ls = val['lstm']['errorMean'], max(val['lstm']['errorStd'], 0.05)
    tm, tsd = val['transformer']['errorMean'], max(val['transformer']['errorStd'], 0.05)
    opts = set(variant.split('+'))
    which = 'ens'
    for w in ('lstm', 'trans'):
        if w in opts: which = w
    log = 'log' in opts
    def tr(e):
        return math.log(e + 0.01) if log else e
    if log:
        # prior from validation errors on the log scale: approximate via delta method
        lm2, ls2 = math.log(lm + 0.01), max(ls / (lm + 0.01), 0.05)
        tm2, ts2 = math.log(tm + 0.01), max(tsd / (tm + 0.01), 0.05)
    else:
        lm2, ls2, tm2, ts2 = lm, ls, tm, tsd
    kw = dict(robust='robust' in opts, every=100 if 'every100' in opts else 1)
    nl = Normaliser(lm2, ls2, **kw); nt = Normaliser(tm2, ts2, **kw); ne = Normaliser(0.0, 1.0, **kw)
    out = np.zeros(n)
    sp = spatial(vals) if 'spatial' in opts else None
    prevc = 1.0
    for row in range(first, n):
        a, b = tr(le[row]), tr(te[row])
        za, zb = (a - lm2) / ls2, (b - tm2) / ts2
        ta, tb = nl.tail(a), nt.tail(b)
        sl = score_of_tail(ta); st = score_of_tail(tb)
        if 'stouffer' in opts:
            zc = (nl.z + nt.z) / math.sqrt(2)
            pc = erfc_tail(zc)
            f = 1e-3 if (pc <= 1e-5 and prevc <= 1e-5) else pc
            prevc = pc
            se = score_of_tail(f)
        elif 'zmean' in opts:
            zc = (nl.z + nt.z) / 2
            pc = erfc_tail(zc)
            f = 1e-3 if (pc <= 1e-5 and prevc <= 1e-5) else pc
            prevc = pc
            se = score_of_tail(f)
        elif 'zmax' in opts:
            zc = max(nl.z, nt.z)
            pc = erfc_tail(zc)
            f = 1e-3 if (pc <= 1e-5 and prevc <= 1e-5) else pc
            prevc = pc
            se = score_of_tail(f)
        elif 'fisher' in opts:
            ra, rb = nl.raw, nt.raw
            pp = max(ra * rb, 1e-300)
            pc = pp * (1 - math.log(pp))
            f = 1e-3 if (pc <= 1e-5 and prevc <= 1e-5) else pc
            prevc = pc
            se = score_of_tail(f)
        elif 'maxcomb' in opts:
            se = max(sl, st)
        elif 'meancomb' in opts:
            se = (sl + st) / 2
        else:
            se = score_of_tail(ne.tail((za + zb) / 2))
        s = {'lstm': sl, 'trans': st, 'ens': se}[which]
        if sp is not None and sp[row]:
            s = 1.0
        out[row] = s
    return out

for variant in VARIANTS:
    for path in sorted(glob.glob(os.path.join(ERR, '*', '*.csv'))):
        rel = os.path.relpath(path, ERR)
        name = 'nab-' + rel.replace('.csv', '').replace('/', '-')
        vdirs = sorted(glob.glob(os.path.join(MODELS, name, 'v*')))
        meta = json.load(open(os.path.join(vdirs[-1], 'metadata.json')))
        ts, vals, le, te = read(path)
        sc = run(variant, rel, ts, vals, le, te, meta)
        tgt = os.path.join(OUT, variant, rel)
        os.makedirs(os.path.dirname(tgt), exist_ok=True)
        with open(tgt, 'w') as f:
            f.write('timestamp,value,anomaly_score\n')
            for t, v, s in zip(ts, vals, sc):
                f.write(f'{t},{v},{s:.9f}\n')

"""Combines the errors of three independent trainings (err0/err2/err3 with models/nab, nab2, nab3 under the
current folder, e.g. .run) into one six-network ensemble: `zmean6` (mean of the six likelihood z-scores) and
`oldmean3` (the shipped combination over all six validation-standardised errors). Writes pm/<mode>/...
Run from the folder holding the runs; it reuses score_variants.py next to it.
"""
import sys, os, glob, json, math
sys.argv = ['x', 'err0', 'models/nab', 'pm', 'ens']
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'score_variants.py')).read().split("for variant in VARIANTS:")[0])
RUNS = [('err0', 'models/nab'), ('err2', 'models/nab2'), ('err3', 'models/nab3')]
for mode in ['zmean6', 'oldmean3']:
    for path in sorted(glob.glob('err0/*/*.csv')):
        rel = os.path.relpath(path, 'err0')
        name = 'nab-' + rel.replace('.csv', '').replace('/', '-')
        streams = []
        for err, mdir in RUNS:
            meta = json.load(open(sorted(glob.glob(os.path.join(mdir, name, 'v*')))[-1] + '/metadata.json'))
            ts, vals, le, te = read(os.path.join(err, rel))
            streams.append((meta, le, te))
        n = len(vals)
        first = max(m['trainingRange']['series'][rel]['trainWindows'] + 23 for m, _, _ in streams)
        norms = []
        for meta, le, te in streams:
            v = meta['validation']
            norms.append((Normaliser(v['lstm']['errorMean'], max(v['lstm']['errorStd'], .05)), le, v['lstm']))
            norms.append((Normaliser(v['transformer']['errorMean'], max(v['transformer']['errorStd'], .05)), te, v['transformer']))
        ne = Normaliser(0.0, 1.0)
        out = [0.0] * n; prev = 1.0
        for row in range(first, n):
            zs = []; cs = []
            for nm, e, vv in norms:
                nm.tail(e[row]); zs.append(nm.z)
                cs.append((e[row] - vv['errorMean']) / max(vv['errorStd'], .05))
            if mode == 'zmean6':
                pc = erfc_tail(sum(zs) / len(zs))
                f = 1e-3 if (pc <= 1e-5 and prev <= 1e-5) else pc
                prev = pc
                out[row] = score_of_tail(f)
            else:
                out[row] = score_of_tail(ne.tail(sum(cs) / len(cs)))
        tgt = os.path.join('pm', mode, rel)
        os.makedirs(os.path.dirname(tgt), exist_ok=True)
        with open(tgt, 'w') as f:
            f.write('timestamp,value,anomaly_score\n')
            for t, v, s in zip(ts, vals, out):
                f.write(f'{t},{v},{s:.9f}\n')

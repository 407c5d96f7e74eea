#!/usr/bin/env python3
# fp32 vs bf16 agreement (docs/BENCHMARKS.md): per method, mean over seeds [95 % t-interval] in each precision,
# and the paired difference bf16 - fp32 over the same seeds, for ID and OOD, as a Markdown table.
#   scripts/precision_agreement.py RESULTS.sqlite [MORE.sqlite ...]   (the runs' recorded precision decides)
import sqlite3, json, math, sys
from statistics import mean, stdev
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776}
order = ["lp", "ft", "lp-ft", "prompt", "prefix", "adapter", "lora", "bitfit", "ia3"]
runs = {}  # (prec, method) -> {seed: (id, ood, wall)}
N = {}  # 0: ID test examples, 1: OOD examples (for the Wilson interval of a method that is the same every seed)
for db in sys.argv[1:]:
    c = sqlite3.connect(db)
    for m, s, ida, ooda, wall, result in c.execute(
            "select method, seed, id_accuracy, ood_accuracy, wall_seconds, result from runs where status='finished'"):
        r = json.loads(result)
        N[0], N[1] = r["id_test"]["examples"], r["ood_test"]["examples"]
        runs.setdefault((r["precision"], m), {})[s] = (100 * ida, 100 * ooda, wall)
def wilson(p, n):
    p /= 100; z = 1.96; d = 1 + z * z / n; c = (p + z * z / (2 * n)) / d; h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return 100 * (c - h), 100 * (c + h)
def ci(v, k=0):
    if len(v) < 2: return "%.1f" % v[0] if v else "-"
    if stdev(v) == 0:  # the same every seed (a deterministic method): the Wilson interval over the test examples
        lo, hi = wilson(v[0], N[k]); return "%.1f [%.1f, %.1f] (every seed; Wilson)" % (v[0], lo, hi)
    h = T975[len(v) - 1] * stdev(v) / math.sqrt(len(v))
    return "%.1f [%.1f, %.1f]" % (mean(v), mean(v) - h, mean(v) + h)
def interval(v, k=0):
    if stdev(v) == 0: return wilson(v[0], N[k])
    h = T975[len(v) - 1] * stdev(v) / math.sqrt(len(v)); return mean(v) - h, mean(v) + h
def paired(a, b):
    d = [x - y for x, y in zip(a, b)]
    if len(d) < 2: return "-"
    if stdev(d) == 0: return "%+.1f (every seed)" % d[0]
    h = T975[len(d) - 1] * stdev(d) / math.sqrt(len(d)) if stdev(d) > 0 else 0
    lo, hi = mean(d) - h, mean(d) + h
    return "%+.1f [%+.1f, %+.1f]%s" % (mean(d), lo, hi, "" if lo <= 0 <= hi else " *")
print("| method | fp32 ID | bf16 ID | bf16 - fp32 ID (paired) | fp32 OOD | bf16 OOD | bf16 - fp32 OOD (paired) | wall fp32 / bf16 |")
print("|---|---|---|---|---|---|---|---|")
inside = []
for m in order:
    f, b = runs.get(("fp32", m), {}), runs.get(("bf16", m), {})
    seeds = sorted(set(f) & set(b))
    if not seeds: 
        print("| %s | (fp32 %d, bf16 %d seeds) |" % (m, len(f), len(b))); continue
    row = [m]
    cells = []
    for k in (0, 1):
        fv = [f[s][k] for s in seeds]; bv = [b[s][k] for s in seeds]
        cells += [ci(fv, k), ci(bv, k), paired(bv, fv)]
        if len(seeds) >= 2:
            flo, fhi = interval(fv, k); blo, bhi = interval(bv, k)
            inside.append((m, "ID" if k == 0 else "OOD", flo <= mean(bv) <= fhi, blo <= mean(fv) <= bhi, abs(mean(bv) - mean(fv))))
    wf = sum(f[s][2] for s in seeds); wb = sum(b[s][2] for s in seeds)
    print("| %s | %s | %.0f / %.0f s (%.2fx) |" % (m + " (%d seeds)" % len(seeds), " | ".join(cells), wf, wb, wf / wb))
print()
for m, split, a, b, gap in inside:
    if not (a and b): print("not mutually inside:", m, split, "bf16 mean in fp32 interval:", a, "fp32 mean in bf16 interval:", b, "gap %.1f" % gap)
print("largest gap: %.1f points" % max(g for *_, g in inside) if inside else "")

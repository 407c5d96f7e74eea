#!/usr/bin/env python3
# Reference numbers for tests/stats/tst_stats.cpp, computed without scipy: run `python3 reference_values.py`.
# Independent references: Wilson from the stdlib normal quantile, Student t from the closed forms of
# Abramowitz & Stegun 26.7.3/26.7.4 (integer df), binomial tails from exact integers.
import math
from fractions import Fraction
from statistics import NormalDist

def wilson(k, n, conf=0.95):
    z = NormalDist().inv_cdf(1 - (1 - conf) / 2)
    p = k / n
    den = 1 + z*z/n
    c = (p + z*z/(2*n)) / den
    h = z*math.sqrt(p*(1-p)/n + z*z/(4*n*n)) / den
    return max(0, c-h), min(1, c+h)

def tcdf(t, nu):  # integer nu
    th = math.atan(t/math.sqrt(nu))
    s, c = math.sin(th), math.cos(th)
    if nu % 2 == 1:
        acc = 0.0
        if nu > 1:
            term = c; acc = c
            for k in range(3, nu-1, 2):  # adds cos^k terms with coefficients 2/3, 2*4/(3*5)...
                term *= c*c*(k-1)/k; acc += term
        A = 2/math.pi*(th + s*acc)
    else:
        term = 1.0; acc = 1.0
        for k in range(2, nu-1, 2):
            term *= c*c*(k-1)/k; acc += term
        A = s*acc
    return 0.5 + A/2 if t >= 0 else 0.5 - A/2

def tq(p, nu):
    lo, hi = 0.0, 1.0
    while tcdf(hi, nu) < p: hi *= 2
    for _ in range(200):
        m = (lo+hi)/2
        if tcdf(m, nu) < p: lo = m
        else: hi = m
    return (lo+hi)/2

def mcnemar(b, c):
    n = b + c; k = min(b, c)
    if n == 0: return 1.0
    tail = Fraction(sum(math.comb(n, i) for i in range(k+1)), 2**n)
    return float(min(Fraction(1), 2*tail))

def paired(a, b):
    d = [x-y for x, y in zip(a, b)]; n = len(d)
    m = sum(d)/n; s = math.sqrt(sum((x-m)**2 for x in d)/(n-1))
    t = m/(s/math.sqrt(n))
    p = 2*(1-tcdf(abs(t), n-1))
    h = tq(0.975, n-1)*s/math.sqrt(n)
    return t, p, m-h, m+h

for k, n in [(8,10),(0,10),(10,10),(50,100),(412,500),(1,1000)]:
    print("wilson", k, n, "%.12f %.12f" % wilson(k, n))
print("wilson 90%% 8/10 %.12f %.12f" % wilson(8, 10, 0.90))
for nu in [1,2,3,5,9,29,30,60]:
    print("t975", nu, "%.12f" % tq(0.975, nu))
print("t995 df4 %.12f" % tq(0.995, 4))
print("tcdf 2 df3 %.12f" % tcdf(2, 3), "tcdf 1 df1 %.12f" % tcdf(1, 1), "tcdf 0.7 df10 %.12f" % tcdf(0.7, 10))
for b, c in [(1,9),(5,5),(6,16),(0,5),(0,6),(3,0),(10,25),(480,520),(900,1100)]:
    print("mcnemar", b, c, "%.15g" % mcnemar(b, c))
# b + c = 1e6: exact top term as a big integer, the rest by the term ratios (no lgamma anywhere)
for b, c in [(499000, 501000), (498500, 501500)]:
    n = b + c; k = min(b, c)
    logtop = math.log(math.comb(n, k)) - n*math.log(2)
    s = 1.0; r = 1.0
    for i in range(k, 0, -1):
        r *= i/(n-i+1); s += r
        if r < 1e-18*s: break
    print("mcnemar", b, c, "%.12g" % min(1, 2*math.exp(logtop + math.log(s))))
a = [0.81, 0.83, 0.80, 0.85]; bb = [0.78, 0.79, 0.80, 0.80]
print("paired", "t=%.12f p=%.12f ci=[%.12f, %.12f]" % paired(a, bb))
a = [0.70, 0.74, 0.69, 0.73, 0.71]; bb = [0.68, 0.70, 0.69, 0.70, 0.69]
print("paired2", "t=%.12f p=%.12f ci=[%.12f, %.12f]" % paired(a, bb))
v = [0.80, 0.82, 0.78]; m = sum(v)/3; s = math.sqrt(sum((x-m)**2 for x in v)/2); h = tq(0.975, 2)*s/math.sqrt(3)
print("tmean %.12f %.12f" % (m-h, m+h))

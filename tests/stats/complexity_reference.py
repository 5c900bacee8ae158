#!/usr/bin/python3
"""Independent reference values for tests/stats/complexity_test.cpp (numpy, not perfguard).

For each class g in {1, lg N, N, N lg N, N^2, N^3}: weighted least squares with an intercept,
time = a + b g(N), by numpy.linalg.lstsq on sqrt(w)-scaled rows (b < 0 clamped to the constant
fit); chi2, weighted R^2, the dispersion c = max(1, min chi2_k / (m - p_k)) and
QAIC_k = chi2_k / c + 2 p_k. Run: /usr/bin/python3 tests/stats/complexity_reference.py
"""
import numpy as np

CLASSES = ["1", "lg N", "N", "N lg N", "N^2", "N^3"]


def g(name, n):
    n = np.asarray(n, dtype=float)
    return {"1": np.ones_like(n), "lg N": np.log2(n), "N": n, "N lg N": n * np.log2(n),
            "N^2": n ** 2, "N^3": n ** 3}[name]


def fit(n, t, w):
    n, t, w = map(lambda v: np.asarray(v, dtype=float), (n, t, w))
    mean = np.sum(w * t) / np.sum(w)
    total = np.sum(w * (t - mean) ** 2)
    out = []
    for name in CLASSES:
        a, b = mean, 0.0
        if name != "1":
            x = np.column_stack([np.ones_like(n), g(name, n)]) * np.sqrt(w)[:, None]
            (a2, b2), *_ = np.linalg.lstsq(x, t * np.sqrt(w), rcond=None)
            if b2 > 0:
                a, b = a2, b2
        chi2 = float(np.sum(w * (t - a - b * g(name, n)) ** 2))
        r2 = 0.0 if name == "1" or b == 0.0 else 1.0 - chi2 / total
        out.append([name, a, b, chi2, r2, 1 if name == "1" else 2])
    m = len(n)
    c = max(1.0, min(chi2 / (m - p) for _, _, _, chi2, _, p in out))
    for row in out:
        row.append(row[3] / c + 2 * row[5])
    best = min(row[6] for row in out)
    chosen = next(row[0] for row in out if row[6] - best <= 2.0)
    return out, c, chosen


def show(title, n, t, w):
    rows, c, chosen = fit(n, t, w)
    print(f"# {title}: dispersion {c:.12g}, chosen {chosen}")
    for name, a, b, chi2, r2, _, qaic in rows:
        print(f"  {{\"{name}\", {a:.12g}, {b:.12g}, {chi2:.12g}, {r2:.12g}, {qaic:.12g}}},")


# A noisy N lg N family with an intercept (values chosen by hand, 2% relative standard errors).
n1 = [16, 32, 64, 128, 256, 512, 1024]
t1 = [5.1e-7, 1.02e-6, 2.31e-6, 4.97e-6, 1.09e-5, 2.41e-5, 5.27e-5]
w1 = [1.0 / (0.02 * v) ** 2 for v in t1]
show("NLogNNoisy", n1, t1, w1)

# An N^2 family with unequal weights.
n2 = [8, 16, 32, 64, 128]
t2 = [3.0e-7, 6.9e-7, 2.3e-6, 8.6e-6, 3.31e-5]
w2 = [1.0 / (0.05 * t2[0]) ** 2, 1.0 / (0.01 * t2[1]) ** 2, 1.0 / (0.03 * t2[2]) ** 2,
      1.0 / (0.02 * t2[3]) ** 2, 1.0 / (0.04 * t2[4]) ** 2]
show("NSquaredWeighted", n2, t2, w2)

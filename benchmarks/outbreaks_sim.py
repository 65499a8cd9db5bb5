"""Outbreak detection on simulated counts with known outbreaks (issue 9). A benchmark: it prints.

Series: three years of daily counts per area, with trend, yearly season, day of week,
negative-binomial overdispersion (size 5), reporting gaps (a week of zeros now and then), in
three sizes: sparse (about 1 a day), medium (5) and large (20). In the third year one outbreak
per series starts on a random day and adds `k` weekly standard deviations of extra cases over
about a week (lognormal curve). Thresholds are calibrated on the first two years (outbreak-free)
to one false alarm per 100 days, as a user's would be; the third year is judged: probability of
detection (an alarm in the outbreak's 14 days), false alarms per 100 days outside it and the
week after it (where methods that look at the last 7 days, or sum like CUSUM, still see the
outbreak), delay to the first alarm. Calibration on past days gives a little more or less than
the rate asked for, differently for each method; so each method is also judged at exactly the
rate asked for in the third year ("matched": the training quantile chosen so that the quiet
days of the third year see that rate), which compares methods at equal false alarms.

pynssp's alert_ewma and alert_regression (CDC NSSP, pip install pynssp; benchmark only) run on
the same series: at their own default (p < 0.01) and, for fairness, calibrated the same way on
their test statistic.

    .venv/bin/python benchmarks/outbreaks_sim.py [--series 300] [--k 5] [--pynssp 60] [--seed 9]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from yakbang.outbreaks.calibrate import thresholds
from yakbang.outbreaks.detectors import METHODS

DAYS = 3 * 365
TRAIN = slice(31, 2 * 365)
TEST_START = 2 * 365


def simulate(n: int, base: float, k: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(DAYS)
    season = 1 + 0.3 * np.sin(2 * np.pi * (t / 365.25 + rng.random((n, 1))))
    dow = np.array([1.15, 1.1, 1.0, 1.0, 0.95, 0.85, 0.95])[(t + rng.integers(0, 7, (n, 1))) % 7]
    trend = 1 + 0.1 * t / DAYS
    mu = base * season * dow * trend
    size = 5.0
    counts = rng.negative_binomial(size, size / (size + mu)).astype(float)
    for row in range(n):  # reporting gaps: a week or two of nothing
        for _ in range(rng.integers(0, 3)):
            gap = rng.integers(0, DAYS - 14)
            counts[row, gap:gap + rng.integers(3, 14)] = 0
    starts = rng.integers(TEST_START + 20, DAYS - 20, n)
    weekly_sd = np.sqrt(7 * mu.mean(axis=1) * (1 + mu.mean(axis=1) / size))
    truth = np.zeros((n, DAYS), bool)
    for row in range(n):
        shape = np.exp(-((np.arange(14) - 4) ** 2) / 8.0)
        extra = rng.poisson(k * weekly_sd[row] * shape / shape.sum())
        counts[row, starts[row]:starts[row] + 14] += extra
        truth[row, starts[row]:starts[row] + 14] = True
    return counts, truth


def _quiet(truth: np.ndarray) -> np.ndarray:
    """Days neither in an outbreak nor in the week after it."""
    after = truth.copy()
    for lag in range(1, 8):
        after[:, lag:] |= truth[:, :-lag]
    return ~after


def judge(alarms: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    test = slice(TEST_START, DAYS)
    a, tr, quiet = alarms[:, test], truth[:, test], _quiet(truth)[:, test]
    detected = (a & tr).any(axis=1)
    false_per_100 = 100 * (a & quiet).sum() / max(quiet.sum(), 1)
    delays = [int(np.argmax(a[i] & tr[i]) - np.argmax(tr[i])) for i in range(a.shape[0]) if detected[i]]
    return {"detected": round(float(detected.mean()), 3),
            "false_alarms_per_100_days": round(float(false_per_100), 2),
            "median_delay_days": float(np.median(delays)) if delays else float("nan")}


def matched(scores: np.ndarray, truth: np.ndarray, rate: float) -> dict[str, float]:
    """Judged with the training quantile that gives exactly `rate` false alarms on the third
    year's quiet days (bisection on the quantile level)."""
    quiet = _quiet(truth)[:, TEST_START:]
    low, high = 1e-4, 0.3
    for _ in range(30):
        level = (low * high) ** 0.5
        alarms = np.nan_to_num(scores, nan=-np.inf) > thresholds(scores, level, TRAIN)[:, None]
        seen = (alarms[:, TEST_START:] & quiet).sum() / max(quiet.sum(), 1)
        low, high = (level, high) if seen < rate else (low, level)
    return judge(alarms, truth)


def score_all(counts: np.ndarray, truth: np.ndarray, rate: float,
              methods: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    out = {}
    for name, scores in methods.items():
        limits = thresholds(scores, rate, TRAIN)
        alarms = np.nan_to_num(scores, nan=-np.inf) > limits[:, None]
        out[name] = judge(alarms, truth) | {"matched": matched(scores, truth, rate)}
    return out


def ours(counts: np.ndarray, truth: np.ndarray, rate: float) -> dict[str, dict[str, float]]:
    scores, seconds = {}, {}
    for name, method in METHODS.items():
        t0 = time.perf_counter()
        scores[name] = method(counts)
        seconds[name] = round(time.perf_counter() - t0, 3)
    out = score_all(counts, truth, rate, scores)
    return {name: out[name] | {"seconds": seconds[name]} for name in out}


def pynssp_runs(counts: np.ndarray, truth: np.ndarray, rate: float) -> dict[str, dict[str, float]]:
    try:
        import pandas as pd
        from pynssp import alert_ewma, alert_regression
    except ImportError:
        return {}
    out: dict[str, dict[str, float]] = {}
    dates = pd.date_range("2023-01-01", periods=DAYS, freq="D")
    for name, fn, column in (("pynssp_ewma", alert_ewma, "test_statistic"),
                             ("pynssp_regression", alert_regression, "test_statistic")):
        t0 = time.perf_counter()
        stats = np.full(counts.shape, np.nan)
        default = np.zeros(counts.shape, bool)
        for row in range(counts.shape[0]):
            df = pd.DataFrame({"date": dates, "count": counts[row]})
            res = fn(df)
            stats[row] = res[column].to_numpy(dtype=float)
            default[row] = (res["alert"] == "red").to_numpy()
        seconds = time.perf_counter() - t0
        per_series = round(seconds / counts.shape[0], 3)
        out[name + "_default"] = judge(default, truth) | {"seconds_per_series": per_series}
        out[name + "_calibrated"] = score_all(counts, truth, rate, {name: stats})[name]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--k", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--pynssp", type=int, default=60, help="series per size for pynssp (slow)")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    report: dict[str, object] = {}
    for label, base in (("sparse", 1.0), ("medium", 5.0), ("large", 20.0)):
        counts, truth = simulate(args.series, base, args.k, rng)
        report[label] = {"yakbang": ours(counts, truth, args.rate),
                         "pynssp": pynssp_runs(counts[: args.pynssp], truth[: args.pynssp], args.rate)}
    big = rng.poisson(5.0, (1000, DAYS)).astype(float)
    timing = {}
    for name, method in METHODS.items():
        t0 = time.perf_counter()
        method(big)
        timing[name] = round(time.perf_counter() - t0, 3)
    report["seconds_for_1000_series_of_3_years"] = timing
    nssp = report["medium"]["pynssp"]  # type: ignore[index]
    if nssp:
        pairs = (("ewma", "pynssp_ewma_default"), ("regression", "pynssp_regression_default"))
        for ours_name, theirs in pairs:
            their_1000 = 1000 * nssp[theirs]["seconds_per_series"]
            report[f"speed_ratio_{ours_name}_vs_pynssp"] = round(their_1000 / max(timing[ours_name], 1e-9))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

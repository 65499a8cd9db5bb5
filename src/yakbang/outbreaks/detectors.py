"""Outbreak detectors over many daily series at once (rows: area x syndrome, columns: days).

Each detector returns a score per series and day (NaN where the history is too short). Scores
are turned into alarms by thresholds calibrated to a false-alarm rate (calibrate.py), not by
nominal p-values, which on small, overdispersed counts raise far more alarms than they promise.

- EARS C1, C2, C3 (CDC Early Aberration Reporting System): 7-day baselines, C2 and C3 with a
  2-day guard band, C3 summing the last three days' C2 excesses.
- EWMA as in CDC NSSP (`alert_ewma`): smoothing 0.4, a 28-day baseline with a 2-day guard band.
- Regression as in CDC NSSP (`alert_regression`): a 28-day baseline with a linear trend and
  day-of-week terms, predicting the next day; the score is the standardised residual. The fit
  is a fixed linear filter per weekday, so all series and days are one matrix product.
- Negative-binomial CUSUM: the log-likelihood ratio of a two-standard-deviation rise, summed
  while it stays positive; mean and overdispersion from the moving 28-day baseline.
- Improved Farrington (Noufaily 2013): farrington.py; on daily counts it scores the 7 days
  ending each day against the same weeks of earlier years.
- WHO rules (EWARN): one case of a single-case-alert syndrome; a week at least double the mean
  of the three weeks before (and at least `min_cases`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from yakbang.outbreaks.farrington import farrington, history_weeks

Array = npt.NDArray[np.float64]
MIN_SD = 0.5  # counts of 0 and 1 have a tiny sd; a floor keeps one case from scoring 20


def _lagged_windows(x: Array, length: int, guard: int) -> Array:
    """For each day t, the `length` days ending `guard + 1` days before t (NaN-padded start)."""
    rows, days = x.shape
    pad = np.full((rows, length + guard), np.nan)
    padded = np.concatenate([pad, x], axis=1)
    windows = sliding_window_view(padded, length, axis=1)[:, :days, :]
    return windows


def ears(x: Array, variant: str = "C2") -> Array:
    guard = {"C1": 0, "C2": 2, "C3": 2}[variant]
    base = _lagged_windows(x, 7, guard)
    with np.errstate(invalid="ignore"):
        mean = base.mean(axis=2)
        sd = np.maximum(base.std(axis=2, ddof=1), MIN_SD)
        score: Array = (x - mean) / sd
    if variant != "C3":
        return score
    excess = np.maximum(score - 1.0, 0.0)
    out: Array = np.full_like(score, np.nan)
    out[:, 2:] = excess[:, 2:] + excess[:, 1:-1] + excess[:, :-2]
    return out


def ewma(x: Array, smoothing: float = 0.4, baseline: int = 28, guard: int = 2) -> Array:
    z = np.empty_like(x)
    z[:, 0] = x[:, 0]
    for t in range(1, x.shape[1]):
        z[:, t] = smoothing * x[:, t] + (1 - smoothing) * z[:, t - 1]
    base = _lagged_windows(x, baseline, guard)
    with np.errstate(invalid="ignore"):
        mean = base.mean(axis=2)
        sd = np.maximum(base.std(axis=2, ddof=1), MIN_SD)
        se = sd * np.sqrt(smoothing / (2 - smoothing))
        out: Array = (z - mean) / se
    return out


def _regression_filters(baseline: int, guard: int) -> tuple[Array, Array]:
    """Per weekday of the predicted day: weights giving the prediction from the baseline window,
    and the residual-maker matrix (I - H) of the window's fit."""
    weights = np.zeros((7, baseline))
    makers = np.zeros((7, baseline, baseline))
    for k in range(7):  # weekday index of the predicted day, relative to the series start
        days = np.arange(-(baseline + guard), -guard)  # the window's days relative to the predicted day
        design = [np.ones(baseline), days.astype(float)]
        for d in range(1, 7):
            design.append(((k + days) % 7 == d).astype(float))
        X = np.stack(design, axis=1)
        # The predicted day: intercept, trend 0 (days are counted from it), its weekday.
        target = np.array([1.0, 0.0, *[1.0 if k == d else 0.0 for d in range(1, 7)]])
        pinv = np.linalg.pinv(X)
        weights[k] = target @ pinv
        makers[k] = np.eye(baseline) - X @ pinv
    return weights, makers


def regression(x: Array, baseline: int = 28, guard: int = 2) -> Array:
    days = x.shape[1]
    weights, makers = _regression_filters(baseline, guard)
    base = _lagged_windows(x, baseline, guard)  # rows, days, baseline
    weekday = np.arange(days) % 7
    pred = np.einsum("rtb,tb->rt", base, weights[weekday])
    resid = np.einsum("rtb,tcb->rtc", base, makers[weekday])
    dof = baseline - 8
    with np.errstate(invalid="ignore"):
        sd = np.maximum(np.sqrt((resid ** 2).sum(axis=2) / dof), MIN_SD)
        out: Array = (x - np.maximum(pred, 0.0)) / sd
    return out


def nb_cusum(x: Array, shift_sd: float = 2.0, baseline: int = 28, guard: int = 2) -> Array:
    """Negative-binomial CUSUM (log-likelihood ratio of a shift of `shift_sd` standard
    deviations), in-control mean and overdispersion from a moving 28-day baseline."""
    base = _lagged_windows(x, baseline, guard)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu0 = np.maximum(base.mean(axis=2), 0.2)
        var = np.maximum(base.var(axis=2, ddof=1), mu0 * 1.0001)
        size = np.clip(mu0 ** 2 / (var - mu0), 0.5, 1e4)  # large size: close to Poisson
        mu1 = mu0 + shift_sd * np.sqrt(var)
        step = (x * np.log(mu1 * (size + mu0) / (mu0 * (size + mu1)))
                + size * np.log((size + mu0) / (size + mu1)))
    out: Array = np.full_like(x, np.nan)
    s = np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        inc = step[:, t]
        ok = np.isfinite(inc)
        s = np.where(ok, np.maximum(0.0, s + np.nan_to_num(inc)), 0.0)
        out[:, t] = np.where(ok, s, np.nan)
    return out


def weekly(x: Array, per_week: int = 7) -> Array:
    """Sums over the `per_week` columns ending each column (7 days, or 1 week)."""
    c = np.cumsum(np.concatenate([np.zeros((x.shape[0], 1)), x], axis=1), axis=1)
    out = np.full_like(x, np.nan)
    out[:, per_week - 1:] = c[:, per_week:] - c[:, :-per_week]
    return out


def who_doubling(x: Array, min_cases: float = 5.0, per_week: int = 7) -> Array:
    """1 where the last week holds at least twice the weekly mean of the 3 weeks before, and at
    least `min_cases`; 0 otherwise (NaN without 4 weeks of history). `per_week` is the columns
    in a week: 7 for daily counts, 1 for weekly."""
    week = weekly(x, per_week)
    out = np.full_like(x, np.nan)
    first = 4 * per_week - 1
    if x.shape[1] <= first:
        return out
    now = week[:, first:]
    before = sum(week[:, first - k * per_week:x.shape[1] - k * per_week] for k in (1, 2, 3)) / 3.0
    out[:, first:] = ((now >= 2 * before) & (now >= min_cases)).astype(float)
    return out


def _in_chunks(method: Callable[[Array], Array], cells: int = 150_000) -> Callable[[Array], Array]:
    """The method run on blocks of series, so that its baseline windows (series x days x 28)
    never hold more than about `cells` x 28 numbers at once: 1,000 series of three years then
    take tens of megabytes, not hundreds, at the same speed."""
    def run(x: Array) -> Array:
        rows = max(1, cells // max(x.shape[1], 1))
        if x.shape[0] <= rows:
            return method(x)
        return np.concatenate([method(x[r:r + rows]) for r in range(0, x.shape[0], rows)], axis=0)
    return run


METHODS: dict[str, Callable[[Array], Array]] = {
    "ears_c1": _in_chunks(lambda x: ears(x, "C1")),
    "ears_c2": _in_chunks(lambda x: ears(x, "C2")),
    "ears_c3": _in_chunks(lambda x: ears(x, "C3")),
    "ewma": _in_chunks(ewma),
    "regression": _in_chunks(regression),
    "nb_cusum": _in_chunks(nb_cusum),
    "farrington": lambda x: farrington(x, 1),  # bounds its own memory (`fits`)
}
# Days of history before a method's first score (on daily counts).
HISTORY = {"ears_c1": 8, "ears_c2": 10, "ears_c3": 12, "ewma": 31, "regression": 31, "nb_cusum": 31,
           "farrington": 7 * history_weeks() + 6}
DAILY_ONLY = {"regression": "it fits day-of-week terms"}


def history(method: str, step: int = 1) -> int:
    """Columns of history a method needs before its first score; `step` is the days per column.
    On weekly counts the moving baselines count weeks, and Farrington needs a year and 3 weeks."""
    if method == "farrington" and step == 7:
        return history_weeks()
    return HISTORY[method]


def scores(method: str, x: Array, step: int = 1) -> Array:
    """A method's scores on daily (`step` 1) or weekly (`step` 7) counts."""
    if step != 1 and method in DAILY_ONLY:
        raise ValueError(f"{method} runs on daily counts only: {DAILY_ONLY[method]}")
    if method == "farrington":
        return farrington(x, step)
    return METHODS[method](x)

"""Improved Farrington (Noufaily et al. 2013), vectorised over many series and weeks at once.

For each week, the expected count comes from the same season in the past `years` years: a
quasi-Poisson log-linear model fitted to the weeks from 26 weeks ago back to `years` years and
`window` weeks ago, with a 10-level seasonal factor (level 0: the `window` weeks either side of
this week in earlier years; levels 1-9: the rest of the year in nine blocks), and a linear trend
when there are at least three years and the trend is significant (5 %) without predicting more
than the baseline ever held. Weeks with large Anscombe residuals (> 2.58) are down-weighted and
the model refitted, so past outbreaks do not raise the baseline. The count is then compared
with a negative binomial of the predicted mean and the fitted overdispersion; the score is the
standard-normal quantile of its (mid-p) upper-tail probability, so a threshold of 2.33 is the
nominal 1 % of Noufaily's `alpha`. yakbang calibrates the threshold to a false-alarm rate
instead (calibrate.py). As in the R package `surveillance`, no alarm is raised unless the last
four weeks hold at least five cases.

Because the seasonal levels depend only on how many weeks back a point lies, one design serves
every week: with the seasonal factor alone the fit is closed-form (weighted means per level),
and the trend is one Newton step per iteration on the profiled slope, so thousands of fits are
a few array operations. On daily counts the method runs on the 7 days ending each day, with the
baseline at whole weeks back (364 days a year), so an outbreak is seen on the day it shows.

Differences from `surveillance::farringtonFlexible` (documented, deliberate): hat values for the
Anscombe residuals are those of the seasonal-factor model (the trend's adds about 1/n); the
negative-binomial "plug-in" threshold, without the prediction's own variance, as in Noufaily.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

Array = npt.NDArray[Any]  # float64, or float32 inside the fits
WEEKS_A_YEAR = 52
SKIP_RECENT = 26  # the most recent half year is left out of the baseline
WEIGHT_LIMIT = 2.58
LEVELS = 10
MAX_SCORE = 40.0


def history_weeks(window: int = 3) -> int:
    """Weeks of history needed before the first score: one year and the window."""
    return WEEKS_A_YEAR + window


def _design(years: int, window: int) -> tuple[npt.NDArray[np.int64], Array, Array]:
    """Lags (weeks back) of the baseline points, their time (-lag) and one-hot seasonal levels."""
    lags = np.arange(SKIP_RECENT, WEEKS_A_YEAR * years + window + 1)
    d = lags % WEEKS_A_YEAR
    inside = (d <= window) | (d >= WEEKS_A_YEAR - window)
    rest = WEEKS_A_YEAR - (2 * window + 1)
    level = np.where(inside, 0, 1 + (d - (window + 1)) * (LEVELS - 1) // rest)
    onehot = np.zeros((len(lags), LEVELS))
    onehot[np.arange(len(lags)), level] = 1.0
    return lags, -lags.astype(float), onehot


def _fit(y: Array, w: Array, tau: Array, onehot: Array, trend: bool) -> tuple[Array, Array, Array]:
    """Weighted Poisson log-linear fit with a seasonal factor (and a slope when `trend`).
    y, w: (fits, points). Returns fitted means (fits, points), the slope and its information."""
    wy = (w * y) @ onehot  # (fits, levels)
    beta = np.zeros(y.shape[0], dtype=y.dtype)
    info = np.ones(y.shape[0], dtype=y.dtype)
    if not trend:  # closed form: the weighted mean of each level
        with np.errstate(invalid="ignore", divide="ignore"):
            wl = w @ onehot
            alpha = np.where(wl > 0, wy / wl, 0.0).astype(y.dtype)
        return alpha @ onehot.T, beta, info
    for _ in range(8):
        e = np.exp(np.clip(beta[:, None] * tau[None, :], -30, 30))
        we = (w * e) @ onehot
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = np.where(we > 0, wy / we, 0.0)  # exp(level effect)
        mu = (alpha @ onehot.T) * e
        grad = (w * tau * (y - mu)).sum(axis=1)
        wmu = (w * mu) @ onehot
        wtmu = (w * tau * mu) @ onehot
        with np.errstate(invalid="ignore", divide="ignore"):
            schur = np.where(wmu > 0, wtmu ** 2 / wmu, 0.0).sum(axis=1)
        info = np.maximum((w * tau ** 2 * mu).sum(axis=1) - schur, 1e-9)
        beta = beta + np.clip(grad / info, -0.5, 0.5)
    return mu, beta, info


def _dispersion(y: Array, mu: Array, w: Array, params: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        pearson = np.where(mu > 0, w * (y - mu) ** 2 / mu, 0.0).sum(axis=1)
    out: Array = np.maximum(pearson / np.maximum(y.shape[1] - params, 1.0), 1.0)
    return out


def _hat(mu: Array, w: Array, onehot: Array) -> Array:
    wmu = w * mu
    per_level = wmu @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Array = np.where(per_level @ onehot.T > 0, wmu / (per_level @ onehot.T), 0.0)
    return out


def _reweight(y: Array, mu: Array, phi: Array, hat: Array) -> Array:
    cy, cm = np.cbrt(y), np.cbrt(mu)
    spread = np.sqrt(phi[:, None] * np.maximum(1.0 - hat, 1e-6))
    anscombe = np.zeros_like(y)
    np.divide(1.5 * (cy * cy - cm * cm), cm * spread, out=anscombe, where=mu > 0)
    w = np.ones_like(y)
    big = anscombe > WEIGHT_LIMIT
    np.divide(1.0, anscombe * anscombe, out=w, where=big)
    out: Array = w * (y.shape[1] / w.sum(axis=1, keepdims=True))
    return out


def _predict(y: Array, years: int, window: int) -> tuple[Array, Array]:
    """Predicted mean and overdispersion for each fit from its baseline points y (fits, points)."""
    _, tau64, onehot64 = _design(years, window)
    tau, onehot = tau64.astype(y.dtype), onehot64.astype(y.dtype)
    ones = np.ones_like(y)
    present = (onehot.sum(axis=0) > 0).sum()
    mu, _, _ = _fit(y, ones, tau, onehot, trend=False)
    phi = _dispersion(y, mu, ones, np.full(y.shape[0], float(present)))
    w = _reweight(y, mu, phi, _hat(mu, ones, onehot))
    mu, _, _ = _fit(y, w, tau, onehot, trend=False)
    phi = _dispersion(y, mu, w, np.full(y.shape[0], float(present)))
    level0 = onehot[:, 0] > 0
    expected = mu[:, level0][:, 0]  # without a trend every level-0 point has the level's mean
    if years >= 3:  # Farrington: a trend only with at least three years of baseline
        mu_t, beta, info = _fit(y, w, tau, onehot, trend=True)
        phi_t = _dispersion(y, mu_t, w, np.full(y.shape[0], float(present + 1)))
        with np.errstate(invalid="ignore", divide="ignore"):
            z = beta / np.sqrt(phi_t / info)
            at_zero = mu_t[:, level0][:, 0] * np.exp(-beta * tau[level0][0])
        keep = (np.abs(z) > 1.96) & (at_zero <= y.max(axis=1))
        expected = np.where(keep, at_zero, expected)
        phi = np.where(keep, phi_t, phi)
    return expected, phi


def _score(count: Array, expected: Array, phi: Array) -> Array:
    """Standard-normal quantile of the mid-p upper tail of a negative binomial (Poisson when the
    overdispersion is 1) with mean `expected`."""
    mean = np.maximum(expected, 0.05)  # an empty baseline still expects a little
    nb = phi > 1.0001
    above, at = np.empty_like(mean), np.empty_like(mean)
    size, p, k = mean[nb] / (phi[nb] - 1.0), 1.0 / phi[nb], count[nb]
    above[nb], at[nb] = stats.nbinom.sf(k, size, p), stats.nbinom.pmf(k, size, p)
    k, m = count[~nb], mean[~nb]
    above[~nb], at[~nb] = stats.poisson.sf(k, m), stats.poisson.pmf(k, m)
    tail = np.clip(above + 0.5 * at, 1e-300, 1.0)
    out: Array = np.clip(stats.norm.isf(tail), -MAX_SCORE, MAX_SCORE)
    return out


def farrington(x: Array, step: int = 1, years: int = 5, window: int = 3, fits: int = 20_000) -> Array:
    """Scores per series and column. `step` is the days per column: 7 for weekly counts, 1 for
    daily counts (then each day is scored on the 7 days ending it). NaN where there is less
    than a year and the window of history, or fewer than 5 cases in the last four weeks.
    At most `fits` models are fitted at once, which bounds the memory (about 100 MB)."""
    rows, columns = x.shape
    if step == 1:
        c = np.cumsum(np.concatenate([np.zeros((rows, 1)), x], axis=1), axis=1)
        s = np.full_like(x, np.nan)
        s[:, 6:] = c[:, 7:] - c[:, :-7]
        per_week = 7
    elif step == 7:
        s, per_week = x, 1
    else:
        raise ValueError("step is 1 (daily) or 7 (weekly)")
    out = np.full_like(x, np.nan)
    first = per_week * history_weeks(window) + (6 if step == 1 else 0)
    ends = np.arange(first, columns)
    if ends.size == 0:
        return out
    have = np.minimum((ends - (6 if step == 1 else 0)) // per_week - window, WEEKS_A_YEAR * years)
    usable_years = np.clip(have // WEEKS_A_YEAR, 1, years)
    for b in np.unique(usable_years):
        lags, _, _ = _design(int(b), window)
        ts = ends[usable_years == b]
        index = ts[:, None] - per_week * lags[None, :]  # (days, points)
        recent = ts[:, None] - per_week * np.arange(4)[None, :]
        chunk = max(1, fits // len(ts))
        for r0 in range(0, rows, chunk):
            block = s[r0:r0 + chunk]
            y = np.nan_to_num(block[:, index]).reshape(-1, len(lags)).astype(np.float32)
            expected, phi = _predict(y, int(b), window)
            count = block[:, ts]
            score = _score(count.reshape(-1), expected.astype(float), phi.astype(float))
            score = score.reshape(count.shape)
            last4 = np.nan_to_num(block[:, recent]).sum(axis=2)
            out[r0:r0 + chunk, ts] = np.where(last4 >= 5, score, np.nan)
    return out

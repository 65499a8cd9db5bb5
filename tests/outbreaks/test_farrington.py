"""Improved Farrington (Noufaily 2013): the fit agrees with a GLM, the score means what it says,
and the baseline follows the season without learning past outbreaks."""

from __future__ import annotations

import numpy as np
import pytest

from yakbang.outbreaks.farrington import _design, _fit, farrington, history_weeks


def test_the_fit_agrees_with_a_weighted_poisson_glm() -> None:
    import statsmodels.api as sm  # a dev dependency, to check the fit against

    rng = np.random.default_rng(4)
    _, tau, onehot = _design(3, 3)
    y = rng.poisson(np.exp(1.5 + 0.004 * tau + onehot @ rng.normal(0, 0.3, 10))).astype(float)
    w = rng.uniform(0.3, 1.0, len(y))
    w *= len(y) / w.sum()
    mu, beta, _ = _fit(y[None, :], w[None, :], tau, onehot, trend=True)
    glm = sm.GLM(y, np.column_stack([onehot, tau]), family=sm.families.Poisson(), var_weights=w).fit()
    assert beta[0] == pytest.approx(glm.params[-1], rel=1e-4)
    assert mu[0] == pytest.approx(glm.fittedvalues, rel=1e-4)
    mu0, _, _ = _fit(y[None, :], w[None, :], tau, onehot, trend=False)
    glm0 = sm.GLM(y, onehot, family=sm.families.Poisson(), var_weights=w).fit()
    assert mu0[0] == pytest.approx(glm0.fittedvalues, rel=1e-5)


def test_the_score_is_a_standard_normal_quantile_on_counts_without_outbreaks() -> None:
    rng = np.random.default_rng(5)
    weekly = rng.negative_binomial(5, 5 / (5 + 20.0), (300, 4 * 52)).astype(float)
    scores = farrington(weekly, step=7)
    seen = scores[np.isfinite(scores)]
    assert seen.size > 300 * 100
    # 1 % of quiet weeks above the nominal 1 % level (2.33), give or take sampling and fitting.
    assert 0.004 < (seen > 2.326).mean() < 0.025
    assert np.isnan(scores[:, :history_weeks()]).all()


def _seasonal_weeks(years: int, rng: np.random.Generator) -> np.ndarray:
    week = np.arange(52 * years) % 52
    mean = 4.0 + 16.0 * np.exp(-((week - 5) ** 2) / 8.0)  # a winter peak around week 5
    return rng.poisson(mean).astype(float)[None, :]


def test_the_usual_winter_peak_is_not_an_outbreak_but_the_same_count_in_summer_is() -> None:
    rng = np.random.default_rng(6)
    x = _seasonal_weeks(4, rng)
    peak, summer = 3 * 52 + 5, 3 * 52 + 30
    x[0, summer] = x[0, peak]
    scores = farrington(x, step=7)
    assert scores[0, peak] < 2.33
    assert scores[0, summer] > 4


def test_an_outbreak_last_year_does_not_hide_one_this_year() -> None:
    rng = np.random.default_rng(7)
    x = rng.poisson(5.0, (1, 3 * 52)).astype(float)
    now = 2 * 52 + 20
    x[0, now - 52] += 30  # a big outbreak in the same week last year, in the baseline
    x[0, now] += 15
    scores = farrington(x, step=7)
    assert scores[0, now] > 3


def test_no_alarm_with_fewer_than_five_cases_in_four_weeks() -> None:
    x = np.zeros((1, 2 * 52))
    x[0, -1] = 3  # something after a long quiet: but only 3 cases in four weeks
    assert np.isnan(farrington(x, step=7)[0, -1])
    x[0, -2] = 2
    assert farrington(x, step=7)[0, -1] > 3


def test_daily_counts_are_scored_on_the_seven_days_ending_each_day() -> None:
    rng = np.random.default_rng(8)
    x = rng.poisson(3.0, (2, 450)).astype(float)
    x[1, 430:434] += 8  # four days with 8 more cases
    scores = farrington(x, step=1)
    assert np.isnan(scores[:, :7 * history_weeks() + 6]).all()
    assert np.isfinite(scores[:, 7 * history_weeks() + 6:]).all()
    assert scores[1, 433] > 4 and scores[1, 433] > scores[0, 433] + 3

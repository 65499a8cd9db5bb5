"""Outbreak detection on counts with known outbreaks; bad counts files."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from yakbang.errors import UserError
from yakbang.outbreaks.alerts import detect
from yakbang.outbreaks.detectors import HISTORY, METHODS, ears, regression, who_doubling
from yakbang.outbreaks.series import CountsError, build, read_counts

START = date(2025, 1, 1)


def _csv(rows: list[tuple[date, str, str, int]]) -> str:
    return "date,area,syndrome,count\n" + "".join(f"{d.isoformat()},{a},{s},{n}\n" for d, a, s, n in rows)


def _baseline(days: int = 200, mean: float = 4.0, seed: int = 3) -> list[int]:
    rng = np.random.default_rng(seed)
    return [int(n) for n in rng.poisson(mean, days)]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_finds_a_clear_outbreak_and_few_false_alarms(method: str) -> None:
    begin = max(180, HISTORY[method] + 150)  # 150 days of scores before it (Farrington: a year more)
    counts = _baseline(begin + 20)
    for d in range(begin, begin + 7):  # a week of outbreak: about five weekly standard deviations
        counts[d] += 12
    series = build([(START + timedelta(days=i), "A", "acute_watery_diarrhoea", n)
                    for i, n in enumerate(counts)])
    alerts = detect(series, [method], rate=0.01)
    days = {(a.day - START).days for a in alerts}
    assert days & set(range(begin, begin + 7)), f"{method} missed the outbreak"
    false = [d for d in days if d < begin]
    assert len(false) <= 6, f"{method}: {len(false)} false alarms in the quiet days"


def test_a_single_suspected_cholera_case_is_an_alert_the_same_day() -> None:
    rows = [(START + timedelta(days=i), "A", "suspected_cholera", 0) for i in range(60)]
    rows[59] = (rows[59][0], "A", "suspected_cholera", 1)
    alerts = detect(build(rows), ["who"], single_case={"suspected_cholera"})
    assert [(a.day, a.method) for a in alerts] == [(START + timedelta(days=59), "who_single_case")]


def test_doubling_over_the_weeks_before() -> None:
    x = np.array([[2.0] * 28 + [5.0] * 7])
    flags = who_doubling(x)
    assert flags[0, -1] == 1 and np.nansum(flags[0, :28]) == 0


def test_methods_are_vectorised_over_a_thousand_series() -> None:
    rng = np.random.default_rng(1)
    x = rng.poisson(3, (1000, 3 * 365)).astype(float)
    for f in (lambda v: ears(v, "C2"), regression):
        scores = f(x)
        assert scores.shape == x.shape
        assert np.isnan(scores[:, :5]).all() and np.isfinite(scores[:, 40:]).all()


@pytest.mark.parametrize(("text", "message"), [
    ("day,area,count\n", "header"),
    ("date,area,syndrome,count\n2025-01-01,A,awd,-1\n", "line 2"),
    ("date,area,syndrome,count\n2025-01-01,A,awd,2\n2025-01-01,A,awd,3\n", "twice"),
    ("date,area,syndrome,count\n2025-01-02,A,awd,2\n2025-01-01,A,awd,3\n", "comes before"),
    ("date,area,syndrome,count\n2025-13-01,A,awd,2\n", "not a date"),
    ("date,area,syndrome,count\n2025-01-01,A,awd,lots\n", "not a number"),
])
def test_bad_counts_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(CountsError, match=message):
        read_counts(text)


def test_unknown_methods_and_short_history_are_refused() -> None:
    series = build([(START + timedelta(days=i), "A", "x", 1) for i in range(10)])
    with pytest.raises(UserError, match="unknown method"):
        detect(series, ["farrington_magic"])
    with pytest.raises(UserError, match="needs at least 32 days"):
        detect(series, ["ewma"])


def test_an_unknown_syndrome_is_refused_when_the_names_are_known() -> None:
    with pytest.raises(CountsError, match="unknown syndrome"):
        read_counts(_csv([(START, "A", "made_up", 1)]), {"acute_watery_diarrhoea"})


def test_alerts_say_since_when() -> None:
    counts = _baseline()
    for d in range(180, 187):
        counts[d] += 12
    series = build([(START + timedelta(days=i), "A", "acute_watery_diarrhoea", n)
                    for i, n in enumerate(counts)])
    run = [a for a in detect(series, ["ewma"]) if (a.day - START).days >= 180]
    assert len(run) >= 2
    assert all(a.since == run[0].day for a in run if (a.day - run[0].day).days < len(run))
    assert run[-1].as_dict()["since"] == run[0].day.isoformat()


def test_a_fixed_weekly_threshold_alerts_when_the_seventh_day_window_reaches_it() -> None:
    rows = [(START + timedelta(days=i), "A", "acute_bloody_diarrhoea", n)
            for i, n in enumerate([0] * 30 + [1, 0, 2, 0, 1, 1, 0, 0])]  # 5 within 7 days on day 35
    alerts = detect(build(rows), ["who"], weekly_cases={"acute_bloody_diarrhoea": 5})
    fixed = [a for a in alerts if a.method == "who_threshold"]
    assert [(a.day - START).days for a in fixed] == [35]
    assert fixed[0].score == 5 and fixed[0].threshold == 5
    assert not [a for a in detect(build(rows), ["who"]) if a.method == "who_threshold"]

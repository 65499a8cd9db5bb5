"""Alerts: what, where, since when, how unusual (never who)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from yakbang.errors import UserError
from yakbang.outbreaks.calibrate import PRIOR_DAYS, thresholds
from yakbang.outbreaks.detectors import DAILY_ONLY, METHODS, history, scores, weekly, who_doubling
from yakbang.outbreaks.series import Series, period_label


@dataclass(frozen=True)
class Alert:
    area: str
    syndrome: str
    day: date
    method: str
    score: float
    threshold: float
    count: float
    since: date | None = None  # the first day of the run of alarm days (or weeks) it belongs to
    step: int = 1  # days counted: 1, or 7 for an ISO week starting on `day`

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "area": self.area, "syndrome": self.syndrome, "date": self.day.isoformat(),
            "since": (self.since or self.day).isoformat(), "method": self.method,
            "score": round(self.score, 2), "threshold": round(self.threshold, 2), "count": int(self.count)}
        if self.step == 7:
            out["week"] = period_label(self.day, self.step)
        return out


def detect(series: Series, methods: list[str], rate: float = 0.01, since: date | None = None,
           single_case: set[str] | None = None, weekly_cases: dict[str, int] | None = None) -> list[Alert]:
    """Alerts from each method in `methods` (and `who`: the WHO rules: one case of a
    `single_case` syndrome, `weekly_cases[syndrome]` cases within 7 days, a week doubling the
    three before)."""
    unknown = [m for m in methods if m not in METHODS and m != "who"]
    if unknown:
        raise UserError(f"unknown method {unknown[0]!r}; use {', '.join([*METHODS, 'who'])} or all")
    if not 0 < rate < 0.5:
        raise UserError("the false-alarm rate is a fraction of days, e.g. 0.01 (one per 100 days)")
    out: list[Alert] = []
    x = series.counts
    first = 0 if since is None else max(0, series.column(since))
    for method in methods:
        if method == "who":
            out += _who(series, single_case or set(), weekly_cases or {}, first)
            continue
        if series.step != 1 and method in DAILY_ONLY:
            raise UserError(f"{method} runs on daily counts only ({DAILY_ONLY[method]}); "
                            "use it without --by week")
        need = history(method, series.step)
        if series.days < need + 1:
            raise UserError(f"{method} needs at least {need + 1} {series.unit} of counts; "
                            f"there are {series.days}")
        score = scores(method, x, series.step)
        limits = thresholds(score, rate, slice(need, series.days), PRIOR_DAYS / series.step)
        hits = np.argwhere(np.nan_to_num(score, nan=-np.inf) > limits[:, None])
        for row, col in hits:
            if col >= first and x[row, col] > 0:
                area, syndrome = series.keys[row]
                out.append(Alert(area, syndrome, series.day(int(col)), method, float(score[row, col]),
                                 float(limits[row]), float(x[row, col]), step=series.step))
    return _with_runs(sorted(out, key=lambda a: (a.day, a.area, a.syndrome, a.method)))


def _with_runs(alerts: list[Alert]) -> list[Alert]:
    """Mark each alert with the first day of its run (alarms on consecutive days or weeks, one
    place, one syndrome, one method), so that a report can say since when."""
    from dataclasses import replace
    from datetime import timedelta

    first: dict[tuple[str, str, str], tuple[date, date]] = {}  # key -> (run start, last day)
    out = []
    for a in alerts:
        key = (a.area, a.syndrome, a.method)
        start, last = first.get(key, (a.day, a.day))
        if a.day - last > timedelta(days=a.step):
            start = a.day
        first[key] = (start, a.day)
        out.append(replace(a, since=start))
    return out


def _who(series: Series, single_case: set[str], weekly_cases: dict[str, int], first: int) -> list[Alert]:
    out: list[Alert] = []
    x = series.counts
    per_week = 7 // series.step
    doubled = who_doubling(x, per_week=per_week)
    week = weekly(x, per_week)
    for row, (area, syndrome) in enumerate(series.keys):
        limit = weekly_cases.get(syndrome)
        for col in range(first, series.days):
            n = float(x[row, col])
            if syndrome in single_case and n >= 1:
                out.append(Alert(area, syndrome, series.day(col), "who_single_case", n, 1.0, n,
                                 step=series.step))
            elif limit is not None and n > 0 and week[row, col] >= limit:
                out.append(Alert(area, syndrome, series.day(col), "who_threshold", float(week[row, col]),
                                 float(limit), n, step=series.step))
            elif doubled[row, col] == 1:
                out.append(Alert(area, syndrome, series.day(col), "who_doubling", 2.0, 2.0, n,
                                 step=series.step))
    return out

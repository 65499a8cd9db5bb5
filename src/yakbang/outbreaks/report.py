"""One outbreak report from the stored consultations, shared by the command line and the web page:
the counts, the methods the history allows (and those it does not), the alerts, and the record ids
behind each alert (never who)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from yakbang.kb.loader import KnowledgeBase
from yakbang.outbreaks.alerts import Alert, detect
from yakbang.outbreaks.detectors import DAILY_ONLY, METHODS, history
from yakbang.outbreaks.series import Series, by_week
from yakbang.storage.db import Database


def choose_methods(method: str, columns: int, step: int = 1) -> tuple[list[str], list[str]]:
    """The methods to run and, with `all`, those left out for too little history (or, on weekly
    counts, because they need days). A method named on its own is always run, so that too
    little history is an error that says so."""
    if method != "all":
        return [m.strip() for m in method.split(",")], []
    usable = [m for m in METHODS if step == 1 or m not in DAILY_ONLY]
    run = [m for m in usable if columns > history(m, step)] + ["who"]
    return run, [m for m in usable if m not in run]


def single_case_syndromes(kb: KnowledgeBase) -> set[str]:
    return {s.id for s in kb.syndromes.values() if s.single_case_alert}


def weekly_thresholds(kb: KnowledgeBase) -> dict[str, int]:
    return {s.id: s.weekly_alert_cases for s in kb.syndromes.values() if s.weekly_alert_cases}


@dataclass
class Report:
    series: Series
    alerts: list[Alert]
    methods: list[str]
    skipped: list[str]
    records: dict[int, list[str]] = field(default_factory=dict)  # alert index -> record ids

    def as_dicts(self) -> list[dict[str, Any]]:
        return [a.as_dict() | {"records": self.records.get(i, [])} for i, a in enumerate(self.alerts)]


def alerts_for(series: Series, kb: KnowledgeBase, since: date | None = None, rate: float = 0.01,
               method: str = "all", weekly: bool = False) -> Report:
    """Alerts from counts (by ISO week when `weekly`), with the knowledge base's WHO rules;
    without the records behind them, which only stored consultations have."""
    if weekly:
        series = by_week(series)
    methods, skipped = choose_methods(method, series.days, series.step)
    alerts = detect(series, methods, rate, since, single_case_syndromes(kb), weekly_thresholds(kb))
    return Report(series, alerts, methods, skipped)


def report(db: Database, kb: KnowledgeBase, since: date | None = None, rate: float = 0.01,
           method: str = "all", weekly: bool = False) -> Report:
    """Alerts from the stored consultations, by day or (`weekly`) by ISO week, with the ids of
    the records behind each."""
    from yakbang.outbreaks.records import series_from_records

    series, found = series_from_records(db, kb)
    out = alerts_for(series, kb, since, rate, method, weekly)
    for i, a in enumerate(out.alerts):
        days = [a.day + timedelta(days=d) for d in range(a.step)]
        out.records[i] = [r for day in days for r in found.get((day, a.area, a.syndrome), [])]
    return out

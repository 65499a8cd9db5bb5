"""One outbreak report from the stored consultations, shared by the command line and the web page:
the counts, the methods the history allows (and those it does not), the alerts, and the record ids
behind each alert (never who)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yakbang.kb.loader import KnowledgeBase
from yakbang.outbreaks.alerts import Alert, detect
from yakbang.outbreaks.detectors import HISTORY, METHODS
from yakbang.outbreaks.series import Series
from yakbang.storage.db import Database


def choose_methods(method: str, days: int) -> tuple[list[str], list[str]]:
    """The methods to run and, with `all`, those left out for too little history. A method
    named on its own is always run, so that too little history is an error that says so."""
    if method != "all":
        return [m.strip() for m in method.split(",")], []
    run = [m for m in [*METHODS, "who"] if m == "who" or days > HISTORY[m]]
    return run, [m for m in METHODS if m not in run]


def single_case_syndromes(kb: KnowledgeBase) -> set[str]:
    return {s.id for s in kb.syndromes.values() if s.single_case_alert}


@dataclass
class Report:
    series: Series
    alerts: list[Alert]
    methods: list[str]
    skipped: list[str]
    records: dict[int, list[str]] = field(default_factory=dict)  # alert index -> record ids

    def as_dicts(self) -> list[dict[str, Any]]:
        return [a.as_dict() | {"records": self.records.get(i, [])} for i, a in enumerate(self.alerts)]


def report(db: Database, kb: KnowledgeBase, since: date | None = None, rate: float = 0.01,
           method: str = "all") -> Report:
    from yakbang.outbreaks.records import series_from_records

    series, found = series_from_records(db, kb)
    methods, skipped = choose_methods(method, series.days)
    alerts = detect(series, methods, rate, since, single_case_syndromes(kb))
    records = {i: found.get((a.day, a.area, a.syndrome), []) for i, a in enumerate(alerts)}
    return Report(series, alerts, methods, skipped, records)

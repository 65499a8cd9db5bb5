"""The outbreak page and `/api/outbreaks`: the shared report (`outbreaks.report`), read for people.

Alerts are grouped per place and syndrome (one card each): what, where, since when, how many
cases, which methods, how unusual, and how many records lie behind it (ids cut to 13 characters,
never anything else about the person; `yakbang records show` finds a record by them).
Nothing is written to the database here.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from yakbang.errors import UserError
from yakbang.kb.loader import KnowledgeBase
from yakbang.outbreaks.alerts import Alert
from yakbang.outbreaks.report import Report, report
from yakbang.outbreaks.series import CountsError
from yakbang.storage.db import Database
from yakbang.storage.records import latest_day
from yakbang.types import Lang

WINDOW_DAYS = 28  # alerts shown by default: the 28 days before the latest record day
RATES = {0.5: 0.005, 1.0: 0.01, 2.0: 0.02}  # false alarms per 100 days -> per day
SINGLE_CASE = "who_single_case"
THRESHOLD = "who_threshold"
DOUBLING = "who_doubling"
ID_CHARS = 13  # as everywhere else: `records list`, `records show` take them
MAX_IDS = 12  # record ids shown on a card; the number says how many there are in all
MAX_PICTURES = 20  # matplotlib takes ~0.1 s a picture; the cards below go without

# Messages are fixed English texts (gettext ids): the page shows them in the reader's language.
BAD_SINCE = "The start date must be a date written like 2026-11-01."
BAD_RATE = "The false alarms per 100 days must be 0.5, 1 or 2."

_plotting = threading.Lock()  # pyplot keeps global state; requests run in a thread pool


class OutbreakQueryError(UserError):
    pass


@dataclass
class AlertGroup:
    """The alerts of one area and one syndrome."""

    area: str
    syndrome: str
    name: str  # in the reader's language
    case_definition: str
    single_case: bool
    since: date  # the first day of the earliest run of alarm days
    latest: date  # the latest alarm day
    count: int  # cases on the latest alarm day
    methods: list[str]
    ratio: float  # the highest score / threshold
    records: list[str]  # full ids, each once
    alert: Alert  # the latest alert, for the picture
    svg: str = ""

    @property
    def short_ids(self) -> list[str]:
        """The first `ID_CHARS` characters of the ids, as `records list` shows them, each once, at
        most `MAX_IDS`. They are the time the record was saved, to the millisecond; records
        imported together can share them."""
        return list(dict.fromkeys(r[:ID_CHARS] for r in self.records))[:MAX_IDS]


@dataclass
class Overview:
    """What the page and the API show: the report, or why there is none."""

    since: date | None
    rate: float
    has_records: bool
    found: Report | None = None  # None: no records, or none counts for a syndrome
    groups: list[AlertGroup] = field(default_factory=list)

    @property
    def days(self) -> int:
        return self.found.series.days if self.found is not None else 0

    def as_json(self) -> dict[str, Any]:
        if self.found is None:
            return {"days": 0, "methods": [], "skipped": [], "alerts": []}
        return {"days": self.days, "methods": self.found.methods, "skipped": self.found.skipped,
                "alerts": self.found.as_dicts()}


def parse_since(value: str | None) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 10:
        raise OutbreakQueryError(BAD_SINCE)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise OutbreakQueryError(BAD_SINCE) from None


def parse_rate(value: str | None) -> float:
    """False alarms per 100 days as the select sends it ("0.5", "1", "2") -> the rate per day."""
    text = (value or "").strip()
    if not text:
        return RATES[1.0]
    try:
        per_100 = float(text)
    except ValueError:
        raise OutbreakQueryError(BAD_RATE) from None
    if not math.isfinite(per_100) or per_100 not in RATES:
        raise OutbreakQueryError(BAD_RATE)
    return RATES[per_100]


def rate_choice(rate: float) -> str:
    """The select's value for a rate per day: 0.01 -> "1"."""
    per_100 = next(k for k, v in RATES.items() if v == rate)
    return f"{per_100:g}"


def overview(db: Database | None, kb: KnowledgeBase, since: str | None, rate: str | None) -> Overview:
    """The report from `since` (default: 28 days before the latest record day) at `rate`.
    Bad input raises OutbreakQueryError, whether or not there are records."""
    start, per_day = parse_since(since), parse_rate(rate)
    last = latest_day(db) if db is not None else None
    if db is None or last is None:
        return Overview(start, per_day, has_records=False)
    if start is None:
        start = last - timedelta(days=WINDOW_DAYS)
    try:
        found = report(db, kb, start, per_day)
    except CountsError:  # records, but none counts for an outbreak syndrome
        return Overview(start, per_day, has_records=True)
    return Overview(start, per_day, has_records=True, found=found)


def group_alerts(found: Report, kb: KnowledgeBase, lang: Lang) -> list[AlertGroup]:
    """One group per (area, syndrome): single-case alerts first, then the most recent."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, a in enumerate(found.alerts):
        by_key.setdefault((a.area, a.syndrome), []).append(i)
    groups = []
    for (area, syndrome), indices in by_key.items():
        alerts = [found.alerts[i] for i in indices]
        latest = max(a.day for a in alerts)
        on_latest = [a for a in alerts if a.day == latest]
        known = kb.syndromes.get(syndrome)
        ids = [r for i in indices for r in found.records.get(i, [])]
        groups.append(AlertGroup(
            area=area, syndrome=syndrome,
            name=known.name.get(lang) if known else syndrome,
            case_definition=known.case_definition.get(lang) if known else "",
            single_case=any(a.method == SINGLE_CASE for a in alerts),
            since=min(a.since or a.day for a in alerts), latest=latest,
            count=int(max(a.count for a in on_latest)),
            methods=sorted({a.method for a in alerts}, key=_method_order),
            ratio=max(_ratio(a) for a in alerts),
            records=list(dict.fromkeys(ids)),
            alert=max(on_latest, key=_ratio)))
    groups.sort(key=lambda g: (not g.single_case, -g.latest.toordinal(), -g.ratio, g.area, g.syndrome))
    return groups


def statistical_methods() -> list[str]:
    """The methods the legend calls statistical: all but the WHO rules."""
    from yakbang.outbreaks.detectors import METHODS

    return list(METHODS)


def _method_order(method: str) -> tuple[int, str]:
    return ({SINGLE_CASE: 0, THRESHOLD: 1, DOUBLING: 2}.get(method, 3), method)


def _ratio(a: Alert) -> float:
    return a.score / a.threshold if a.threshold > 0 else a.score


def add_pictures(found: Report, groups: list[AlertGroup]) -> None:
    """The picture of each group's latest alert (the first `MAX_PICTURES` groups), ready for
    the page."""
    from yakbang.outbreaks.plots import plot_svg

    for g in groups[:MAX_PICTURES]:
        with _plotting:
            svg = plot_svg(found.series, g.alert, found.alerts)
        g.svg = inline_svg(svg)


# SVG properties that are also presentation attributes: the page's Content-Security-Policy
# (style-src 'self') ignores inline `style` attributes and <style> elements, but not these.
_PRESENTATION = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
                 "stroke-linejoin", "stroke-linecap", "stroke-dasharray", "stroke-dashoffset",
                 "stroke-miterlimit", "opacity", "font-family", "font-size", "font-style",
                 "font-weight", "text-anchor", "dominant-baseline", "visibility", "display"}


def _as_attributes(match: re.Match[str]) -> str:
    out = []
    for part in match.group(1).split(";"):
        name, _, value = part.partition(":")
        name, value = name.strip(), value.strip()
        if name in _PRESENTATION and value and not set(value) & set("\"'<>&"):
            out.append(f' {name}="{value}"')
    return "".join(out)


def inline_svg(svg: str) -> str:
    """Matplotlib's SVG made fit to sit inside the page under its strict CSP: styles as
    presentation attributes, no <style> or metadata, sized by the page (class `plot`)."""
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\sstyle="([^"]*)"', _as_attributes, svg)
    # What the removed <style> said for every element, as inherited attributes on the root.
    return svg.replace("<svg ", '<svg class="plot" stroke-linejoin="round" stroke-linecap="butt" ', 1)

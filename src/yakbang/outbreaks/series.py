"""Counts per area and syndrome, as a dense matrix: one row per (area, syndrome), one column per
day (or per ISO week), zeros where nothing was reported.

A counts file may give days (2026-11-29) or ISO weeks (2026-W48); weeks make a weekly series.
Daily counts can be summed into ISO weeks (`by_week`), Monday to Sunday.

Read from a CSV with the header `date,area,syndrome,count` (every line checked: a bad date, a
negative count, a day given twice for one area and syndrome, a date before the line above for
the same series, are errors naming the line) or counted from the stored records.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from yakbang.errors import UserError

HEADER = ("date", "area", "syndrome", "count")
ISO_WEEK = re.compile(r"^\d{4}-?W\d{2}$")


class CountsError(UserError):
    pass


@dataclass(frozen=True)
class Series:
    keys: list[tuple[str, str]]  # (area, syndrome) per row
    start: date  # the first day (a Monday when weekly)
    counts: npt.NDArray[np.float64]  # rows x columns
    step: int = 1  # days per column: 1 (daily) or 7 (ISO weeks)

    @property
    def days(self) -> int:
        """The number of columns: days, or weeks when weekly."""
        return int(self.counts.shape[1])

    @property
    def unit(self) -> str:
        return "days" if self.step == 1 else "weeks"

    def day(self, i: int) -> date:
        """The first day of column i."""
        return self.start + timedelta(days=i * self.step)

    def column(self, day: date) -> int:
        return (day - self.start).days // self.step

    def period(self, i: int) -> str:
        """Column i as people write it: 2026-11-29, or 2026-W48."""
        return period_label(self.day(i), self.step)


def period_label(day: date, step: int) -> str:
    """A day as people write it (2026-11-29), or the ISO week it starts (2026-W48) when weekly."""
    if step == 1:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def build(rows: list[tuple[date, str, str, float]], step: int = 1) -> Series:
    """A series from (day, area, syndrome, count) rows; with `step` 7, summed by ISO week."""
    if not rows:
        raise CountsError("no counts to look at")
    first = min(r[0] for r in rows)
    start = first - timedelta(days=first.weekday()) if step == 7 else first
    end = max(r[0] for r in rows)
    keys = sorted({(area, syndrome) for _, area, syndrome, _ in rows})
    index = {k: i for i, k in enumerate(keys)}
    counts = np.zeros((len(keys), (end - start).days // step + 1))
    for day, area, syndrome, n in rows:
        counts[index[(area, syndrome)], (day - start).days // step] += n
    return Series(keys, start, counts, step)


def by_week(series: Series) -> Series:
    """Daily counts summed into ISO weeks (Monday to Sunday); a weekly series as it is."""
    if series.step == 7:
        return series
    before = series.start.weekday()
    after = -(before + series.days) % 7
    padded = np.pad(series.counts, ((0, 0), (before, after)))
    weeks = padded.reshape(len(series.keys), -1, 7).sum(axis=2)
    return Series(series.keys, series.start - timedelta(days=before), weeks, 7)


def read_counts(text: str, known_syndromes: set[str] | None = None) -> Series:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        raise CountsError(f"the counts file must start with the header {','.join(HEADER)}")
    rows: list[tuple[date, str, str, float]] = []
    last: dict[tuple[str, str], date] = {}
    weekly: bool | None = None
    for n, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 4:
            raise CountsError(f"line {n}: expected 4 fields ({','.join(HEADER)}), got {len(row)}")
        raw_day, area, syndrome, raw_count = (c.strip() for c in row)
        is_week = bool(ISO_WEEK.match(raw_day))
        if weekly is not None and is_week != weekly:
            raise CountsError(f"line {n}: {raw_day!r} mixes days and weeks; give all lines as days "
                              "(2026-11-29) or all as ISO weeks (2026-W48)")
        weekly = is_week
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise CountsError(f"line {n}: {raw_day!r} is not a date like 2026-11-29 "
                              "or an ISO week like 2026-W48") from None
        try:
            count = float(raw_count)
        except ValueError:
            raise CountsError(f"line {n}: the count {raw_count!r} is not a number") from None
        if count < 0 or count != int(count):
            raise CountsError(f"line {n}: the count must be a whole number of 0 or more, not {raw_count}")
        if not area or not syndrome:
            raise CountsError(f"line {n}: the area and the syndrome must not be empty")
        if known_syndromes is not None and syndrome not in known_syndromes:
            known = ", ".join(sorted(known_syndromes))
            raise CountsError(f"line {n}: unknown syndrome {syndrome!r}; known: {known}")
        key = (area, syndrome)
        if key in last and day == last[key]:
            raise CountsError(f"line {n}: {raw_day} is given twice for {area} / {syndrome}")
        if key in last and day < last[key]:
            raise CountsError(f"line {n}: {raw_day} comes before {last[key].isoformat()} for "
                              f"{area} / {syndrome}; sort the file by date")
        last[key] = day
        rows.append((day, area, syndrome, count))
    return build(rows, 7 if weekly else 1)

"""Daily counts per area and syndrome, as a dense matrix: one row per (area, syndrome), one column
per day, zeros where nothing was reported.

Read from a CSV with the header `date,area,syndrome,count` (every line checked: a bad date, a
negative count, a day given twice for one area and syndrome, a date before the line above for
the same series, are errors naming the line) or counted from the stored records.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from yakbang.errors import UserError

HEADER = ("date", "area", "syndrome", "count")


class CountsError(UserError):
    pass


@dataclass(frozen=True)
class Series:
    keys: list[tuple[str, str]]  # (area, syndrome) per row
    start: date
    counts: npt.NDArray[np.float64]  # rows x days

    @property
    def days(self) -> int:
        return int(self.counts.shape[1])

    def day(self, i: int) -> date:
        return self.start + timedelta(days=i)


def build(rows: list[tuple[date, str, str, float]]) -> Series:
    if not rows:
        raise CountsError("no counts to look at")
    start = min(r[0] for r in rows)
    end = max(r[0] for r in rows)
    keys = sorted({(area, syndrome) for _, area, syndrome, _ in rows})
    index = {k: i for i, k in enumerate(keys)}
    counts = np.zeros((len(keys), (end - start).days + 1))
    for day, area, syndrome, n in rows:
        counts[index[(area, syndrome)], (day - start).days] += n
    return Series(keys, start, counts)


def read_counts(text: str, known_syndromes: set[str] | None = None) -> Series:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        raise CountsError(f"the counts file must start with the header {','.join(HEADER)}")
    rows: list[tuple[date, str, str, float]] = []
    last: dict[tuple[str, str], date] = {}
    for n, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 4:
            raise CountsError(f"line {n}: expected 4 fields ({','.join(HEADER)}), got {len(row)}")
        raw_day, area, syndrome, raw_count = (c.strip() for c in row)
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise CountsError(f"line {n}: {raw_day!r} is not a date like 2026-11-29") from None
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
            raise CountsError(f"line {n}: {day.isoformat()} is given twice for {area} / {syndrome}")
        if key in last and day < last[key]:
            raise CountsError(f"line {n}: {day.isoformat()} comes before {last[key].isoformat()} for "
                              f"{area} / {syndrome}; sort the file by date")
        last[key] = day
        rows.append((day, area, syndrome, count))
    return build(rows)

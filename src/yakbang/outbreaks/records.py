"""From stored consultations to counts per day, area and syndrome (and the records behind them).

A consultation counts for a syndrome when its leading condition is one of the syndrome's, or
its present findings meet one of the syndrome's case-definition rules, within the ages given.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.syndromes import Syndrome
from yakbang.outbreaks.series import Series, build
from yakbang.storage.db import Database
from yakbang.storage.models import Consultation, ConsultationCondition, ConsultationFinding

NO_AREA = "(no area)"


def matches(s: Syndrome, present: set[str], top: str | None, age_months: int) -> bool:
    if not s.ages.contains(age_months):
        return False
    if top is not None and top in s.conditions:
        return True
    for rule in s.findings:
        if set(rule.all_of) <= present and (not rule.any_of or
                                             len(present & set(rule.any_of)) >= rule.at_least):
            return True
    return False


def syndromes_of(kb: KnowledgeBase, present: set[str], top: str | None, age_months: int) -> list[str]:
    return [s.id for s in kb.syndromes.values() if matches(s, present, top, age_months)]


def cases(db: Database, kb: KnowledgeBase, since: date | None = None
          ) -> dict[tuple[date, str, str], list[str]]:
    """(day, area, syndrome) -> the ids of the consultations counted there."""
    with db.sessions() as session:
        query = select(Consultation.id, Consultation.consulted_on, Consultation.area,
                       Consultation.age_months)
        if since is not None:
            query = query.where(Consultation.consulted_on >= since)
        rows = session.execute(query).all()
        present: dict[str, set[str]] = defaultdict(set)
        said = select(ConsultationFinding.consultation_id, ConsultationFinding.finding).where(
            ConsultationFinding.answer == "yes")
        for cid, fid in session.execute(said):
            present[cid].add(fid)
        leading = select(ConsultationCondition.consultation_id, ConsultationCondition.condition).where(
            ConsultationCondition.rank == 1)
        top = {cid: cond for cid, cond in session.execute(leading)}
    out: dict[tuple[date, str, str], list[str]] = defaultdict(list)
    for cid, day, area, age in rows:
        for syndrome in syndromes_of(kb, present.get(cid, set()), top.get(cid), age):
            out[(day, area or NO_AREA, syndrome)].append(cid)
    return dict(out)


def series_from_records(db: Database, kb: KnowledgeBase, since: date | None = None
                        ) -> tuple[Series, dict[tuple[date, str, str], list[str]]]:
    found = cases(db, kb, since)
    return build([(d, a, s, float(len(ids))) for (d, a, s), ids in found.items()]), found


def dhis2(series: Series, suppress_below: int = 5) -> dict[str, object]:
    """DHIS2 dataValueSets JSON by ISO week; counts from 1 to `suppress_below - 1` are left out
    (small numbers can point to a person in a small place) and only their number is said."""
    weekly: dict[tuple[str, str, str], float] = defaultdict(float)
    for row, (area, syndrome) in enumerate(series.keys):
        for day in range(series.days):
            n = series.counts[row, day]
            if n:
                year, week, _ = series.day(day).isocalendar()
                weekly[(f"{year}W{week}", area, syndrome)] += n
    values = []
    suppressed = 0
    for (period, area, syndrome), n in sorted(weekly.items()):
        if 0 < n < suppress_below:
            suppressed += 1
            continue
        values.append({"dataElement": syndrome, "period": period, "orgUnit": area, "value": str(int(n))})
    return {"dataValues": values, "suppressed_small_counts": suppressed}

"""Pseudonymous consultation records: who (age, sex, pregnancy), where (an area label), what.

A record keeps no name and no words the person said: only the findings as ids with their
answers, the ranked conditions, the urgency and the advice given (medicines and doses). The
free text of a description may hold a name, so it is never stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yakbang.errors import UserError
from yakbang.storage.db import Database, new_id, now
from yakbang.storage.models import Consultation, ConsultationCondition, ConsultationFinding, StockMovement

MAX_AREA = 64
KEPT = ("patient", "findings", "triage", "urgency", "conditions", "treatment")


class RecordError(UserError):
    pass


@dataclass(frozen=True)
class Dispensed:
    """What a consultation gave from the stored stock."""

    medicine: str
    quantity: float
    form: str | None = None
    strength: str | None = None


def _clean(result: dict[str, Any]) -> dict[str, Any]:
    """The parts of an `advise` result that identify nobody."""
    kept = {k: result[k] for k in KEPT if k in result}
    kept["conditions"] = [{"id": c["id"], "probability": c["probability"], "urgency": c["urgency"]}
                          for c in result.get("conditions", [])]
    return kept


def check_area(area: str | None) -> str | None:
    if area is None:
        return None
    label = area.strip()
    if not label:
        return None
    if len(label) > MAX_AREA:
        raise RecordError(f"the area label is {len(label)} characters; keep it to a village or "
                          f"district name of at most {MAX_AREA} (never an address)")
    return label


def save_consultation(db: Database, result: dict[str, Any], day: date, area: str | None = None,
                      weight_kg: float | None = None, pregnancy_weeks: int | None = None,
                      dispensed: list[Dispensed] | None = None,
                      dispense_fn: Callable[[Session, Dispensed, str], object] | None = None) -> str:
    """Store one consultation, and move the stock it gave in the same transaction; its id."""
    patient = result["patient"]
    record = Consultation(
        id=new_id(), device_id=db.device_id, created_at=now(), consulted_on=day, area=check_area(area),
        age_months=int(patient["age_months"]), sex=str(patient["sex"]), pregnant=bool(patient["pregnant"]),
        pregnancy_weeks=pregnancy_weeks, weight_kg=weight_kg, urgency=str(result["urgency"]),
        top_condition=result["conditions"][0]["id"] if result.get("conditions") else None,
        result=_clean(result))
    with db.transaction() as session:
        session.add(record)
        session.flush()
        for fid in result.get("findings", {}).get("present", []):
            session.add(ConsultationFinding(consultation_id=record.id, finding=fid, answer="yes"))
        for fid in result.get("findings", {}).get("absent", []):
            session.add(ConsultationFinding(consultation_id=record.id, finding=fid, answer="no"))
        for rank, c in enumerate(result.get("conditions", []), start=1):
            session.add(ConsultationCondition(consultation_id=record.id, rank=rank, condition=c["id"],
                                              probability=float(c["probability"])))
        for d in dispensed or []:
            assert dispense_fn is not None, "stock to move needs the function that moves it"
            dispense_fn(session, d, record.id)
    return record.id


def _row(c: Consultation) -> dict[str, Any]:
    return {"id": c.id, "device_id": c.device_id, "created_at": c.created_at.isoformat(),
            "consulted_on": c.consulted_on.isoformat(), "area": c.area, "age_months": c.age_months,
            "sex": c.sex, "pregnant": c.pregnant, "pregnancy_weeks": c.pregnancy_weeks,
            "weight_kg": c.weight_kg, "urgency": c.urgency, "top_condition": c.top_condition}


def list_records(db: Database, limit: int = 50, area: str | None = None,
                 since: date | None = None) -> list[dict[str, Any]]:
    with db.sessions() as session:
        query = select(Consultation).order_by(Consultation.created_at.desc()).limit(limit)
        if area is not None:
            query = query.where(Consultation.area == area)
        if since is not None:
            query = query.where(Consultation.consulted_on >= since)
        return [_row(c) for c in session.scalars(query)]


def show_record(db: Database, record_id: str) -> dict[str, Any]:
    with db.sessions() as session:
        c = _find(session, record_id)
        out = _row(c)
        out["result"] = c.result
        out["stock_movements"] = [
            {"id": m.id, "item_id": m.item_id, "quantity": m.quantity, "location": m.location}
            for m in session.scalars(select(StockMovement).where(StockMovement.consultation_id == c.id))]
        return out


def _find(session: Session, record_id: str) -> Consultation:
    found = session.get(Consultation, record_id)
    if found is None:
        matches = list(session.scalars(select(Consultation).where(Consultation.id.startswith(record_id))
                                       .limit(2))) if len(record_id) >= 8 else []
        if len(matches) == 1:
            return matches[0]
        raise RecordError(f"no record {record_id!r}; see `yakbang records list`")
    return found


def _top(result: dict[str, Any], n: int = 3) -> list[str]:
    conditions = result.get("conditions")
    return [str(c["id"]) for c in conditions[:n]] if isinstance(conditions, list) else []


def export_records(db: Database, fmt: str) -> str:
    with db.sessions() as session:
        rows = [_row(c) | {"conditions": _top(c.result)}
                for c in session.scalars(select(Consultation).order_by(Consultation.created_at))]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise RecordError(f"export as csv or json, not {fmt!r}")
    buf = io.StringIO()
    fields = [
        "id", "device_id", "created_at", "consulted_on", "area", "age_months", "sex", "pregnant",
        "pregnancy_weeks", "weight_kg", "urgency", "top_condition", "conditions"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r | {"conditions": ";".join(r["conditions"])})
    return buf.getvalue()


def save_many(db: Database, rows: list[tuple[dict[str, Any], date, str | None]], batch: int = 2000) -> int:
    """Store many consultations quickly (an import, a benchmark): bulk inserts, one transaction
    per `batch` records. Each record is as `save_consultation` would write it, without stock."""
    from sqlalchemy import insert

    written = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        consultations, conditions, findings = [], [], []
        for result, day, area in chunk:
            rid = new_id()
            patient = result["patient"]
            consultations.append({
                "id": rid, "device_id": db.device_id, "created_at": now(), "consulted_on": day,
                "area": check_area(area), "age_months": int(patient["age_months"]),
                "sex": str(patient["sex"]),
                "pregnant": bool(patient["pregnant"]), "pregnancy_weeks": None, "weight_kg": None,
                "urgency": str(result["urgency"]),
                "top_condition": result["conditions"][0]["id"] if result.get("conditions") else None,
                "result": _clean(result)})
            conditions += [{"consultation_id": rid, "rank": n, "condition": c["id"],
                            "probability": float(c["probability"])}
                           for n, c in enumerate(result.get("conditions", []), start=1)]
            findings += [{"consultation_id": rid, "finding": f, "answer": "yes"}
                         for f in result.get("findings", {}).get("present", [])]
        with db.transaction() as session:
            session.execute(insert(Consultation), consultations)
            if conditions:
                session.execute(insert(ConsultationCondition), conditions)
            if findings:
                session.execute(insert(ConsultationFinding), findings)
        written += len(chunk)
    return written


def counts(db: Database, since: date | None = None, until: date | None = None,
           rank: int = 1) -> list[tuple[date, str | None, str, int]]:
    """Consultations per day, area and condition (the condition ranked `rank` or better), in SQL."""
    from sqlalchemy import func

    with db.sessions() as session:
        query = (select(Consultation.consulted_on, Consultation.area, ConsultationCondition.condition,
                        func.count())
                 .join(ConsultationCondition, ConsultationCondition.consultation_id == Consultation.id)
                 .where(ConsultationCondition.rank <= rank)
                 .group_by(Consultation.consulted_on, Consultation.area, ConsultationCondition.condition)
                 .order_by(Consultation.consulted_on, Consultation.area, ConsultationCondition.condition))
        if since is not None:
            query = query.where(Consultation.consulted_on >= since)
        if until is not None:
            query = query.where(Consultation.consulted_on <= until)
        return [(d, a, c, int(n)) for d, a, c, n in session.execute(query)]


def latest_day(db: Database) -> date | None:
    """The day of the latest consultation stored, or None when there is none."""
    with db.sessions() as session:
        day: date | None = session.execute(select(func.max(Consultation.consulted_on))).scalar()
    return day

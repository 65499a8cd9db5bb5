"""From stored consultations to syndrome counts and alerts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from yakbang.kb import KnowledgeBase
from yakbang.outbreaks.alerts import detect
from yakbang.outbreaks.records import dhis2, series_from_records
from yakbang.storage import Database
from yakbang.storage.records import save_many


def _result(top: str, present: list[str], age_months: int = 60) -> dict[str, object]:
    return {"patient": {"age_months": age_months, "sex": "female", "pregnant": False},
            "findings": {"present": present, "absent": []}, "urgency": "urgent",
            "conditions": [{"id": top, "probability": 0.8, "urgency": "urgent"}]}


def test_a_cholera_consultation_is_a_single_case_alert_with_its_record(db: Database,
                                                                      kb: KnowledgeBase) -> None:
    day = date(2026, 11, 20)
    rows = [(_result("common_cold", ["runny_nose"]), day - timedelta(days=i), "Hyesan") for i in range(30)]
    rows.append((_result("cholera", ["watery_diarrhoea"]), day, "Hyesan"))
    save_many(db, rows)
    series, found = series_from_records(db, kb)
    single = {s.id for s in kb.syndromes.values() if s.single_case_alert}
    alerts = detect(series, ["who"], single_case=single)
    cholera = [a for a in alerts if a.syndrome == "suspected_cholera"]
    assert [(a.day, a.area) for a in cholera] == [(day, "Hyesan")]
    records = found[(day, "Hyesan", "suspected_cholera")]
    assert len(records) == 1 and len(records[0]) == 36  # an id, never a name


def test_dhis2_export_leaves_out_small_counts(db: Database, kb: KnowledgeBase) -> None:
    day = date(2026, 11, 16)  # a Monday
    rows = [(_result("dysentery", ["blood_in_stool", "diarrhoea"]), day, "Musan") for _ in range(6)]
    rows += [(_result("dysentery", ["blood_in_stool", "diarrhoea"]), day, "Onsong") for _ in range(2)]
    save_many(db, rows)
    series, _ = series_from_records(db, kb)
    out = dhis2(series, suppress_below=5)
    rows_out: list[dict[str, str]] = out["dataValues"]  # type: ignore[assignment]
    values = {(v["orgUnit"], v["dataElement"]): v["value"] for v in rows_out}
    assert values[("Musan", "acute_bloody_diarrhoea")] == "6"
    assert ("Onsong", "acute_bloody_diarrhoea") not in values
    assert out["suppressed_small_counts"] >= 1


def test_report_with_a_plot_per_alert(db: Database, kb: KnowledgeBase, tmp_path: object) -> None:
    from pathlib import Path

    from yakbang.outbreaks.plots import plot_alert

    day = date(2026, 11, 20)
    rows = [(_result("gastroenteritis", ["watery_diarrhoea"]), day - timedelta(days=i), "Hyesan")
            for i in range(1, 60) for _ in range(2)]
    rows += [(_result("gastroenteritis", ["watery_diarrhoea"]), day, "Hyesan") for _ in range(15)]
    save_many(db, rows)
    series, _ = series_from_records(db, kb)
    alerts = [a for a in detect(series, ["ewma"]) if a.day == day]
    assert alerts, "fifteen cases against two a day is an alert"
    png = plot_alert(series, alerts[0], alerts, Path(str(tmp_path)) / "alert.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000

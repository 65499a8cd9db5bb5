"""Stock ledger and records, the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text

from yakbang.kb import KnowledgeBase
from yakbang.storage import Database, open_database
from yakbang.storage import stock as S
from yakbang.storage.models import Consultation, StockMovement
from yakbang.storage.records import Dispensed, RecordError, list_records, save_consultation, show_record

TODAY = date(2026, 11, 29)


def _movements(db: Database) -> int:
    with db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(StockMovement)) or 0)


def _left(db: Database, medicine: str) -> float:
    return sum(b.quantity for b in S.balances(db) if b.item.medicine == medicine)


def test_receive_dispense_and_balance_first_to_expire_first(db: Database, kb: KnowledgeBase) -> None:
    late = S.receive(db, kb, "amoxicillin", "dispersible tablet", "250 mg", 100, date(2027, 6, 30), TODAY)
    early = S.receive(db, kb, "Амоксициллин", "dispersible tablet", "250 mg", 30, date(2027, 1, 31), TODAY)
    assert late.id != early.id
    S.dispense(db, kb, "amoxicillin", 40, TODAY)
    by_item = {b.item.id: b.quantity for b in S.balances(db)}
    assert by_item[early.id] == 0 and by_item[late.id] == 90  # the early batch went first
    assert _left(db, "amoxicillin") == 90


def test_dispensing_more_than_there_is_changes_nothing(db: Database, kb: KnowledgeBase) -> None:
    S.receive(db, kb, "paracetamol", "tablet", "500 mg", 10, date(2027, 1, 1), TODAY)
    before = _movements(db)
    with pytest.raises(S.StockError, match="only 10"):
        S.dispense(db, kb, "paracetamol", 11, TODAY)
    assert _movements(db) == before
    assert _left(db, "paracetamol") == 10


def test_expired_stock_is_never_given(db: Database, kb: KnowledgeBase) -> None:
    S.receive(db, kb, "paracetamol", "tablet", "500 mg", 10, date(2026, 12, 31), TODAY)
    with pytest.raises(S.StockError, match="only 0"):
        S.dispense(db, kb, "paracetamol", 1, date(2027, 1, 5))
    shelf, _ = S.as_shelf(db, kb, date(2027, 1, 5))
    assert shelf.for_medicine("paracetamol", date(2027, 1, 5)) == []
    written = S.write_off_expired(db, date(2027, 1, 5))
    assert [q for _, _, q in written] == [10]
    assert _left(db, "paracetamol") == 0


@pytest.mark.parametrize(("args", "message"), [
    (("paracetamol", "tablet", "500 mg", -5, date(2027, 1, 1)), "more than 0"),
    (("paracetamol", "tablet", "500 mg", 0, date(2027, 1, 1)), "more than 0"),
    (("Zorvexalin", "tablet", "500 mg", 5, date(2027, 1, 1)), "not known"),
    (("paracetamol", "tablet", "500 mg", 5, date(2026, 1, 1)), "expired"),
    (("paracetamol", "sparkly", "500 mg", 5, date(2027, 1, 1)), "form 'sparkly'"),
    (("感冒灵", "oral powder", "10 g", 5, date(2027, 1, 1)), "combination"),
])
def test_bad_receipts_are_refused_with_nothing_changed(db: Database, kb: KnowledgeBase,
                                                       args: tuple[object, ...], message: str) -> None:
    with pytest.raises(S.StockError, match=message):
        S.receive(db, kb, *args, TODAY)  # type: ignore[arg-type]
    assert _movements(db) == 0


def test_adjust_needs_a_reason_and_never_goes_below_zero(db: Database, kb: KnowledgeBase) -> None:
    item = S.receive(db, kb, "zinc sulfate", "dispersible tablet", "20 mg", 10, date(2027, 1, 1), TODAY)
    with pytest.raises(S.StockError, match="reason"):
        S.adjust(db, item.id, -2, " ")
    with pytest.raises(S.StockError, match="only 10"):
        S.adjust(db, item.id, -11, "lost")
    S.adjust(db, item.id, -3, "broken")
    assert _left(db, "zinc_sulfate") == 7


def test_transfer_moves_between_locations(db: Database, kb: KnowledgeBase) -> None:
    item = S.receive(db, kb, "paracetamol", "tablet", "500 mg", 50, date(2027, 1, 1), TODAY)
    S.transfer(db, item.id, 20, "main", "village-2")
    places = {b.location: b.quantity for b in S.balances(db)}
    assert places == {"main": 30, "village-2": 20}
    with pytest.raises(S.StockError, match="only 30"):
        S.transfer(db, item.id, 31, "main", "village-2")


def test_csv_import_is_one_transaction_and_names_the_bad_line(db: Database, kb: KnowledgeBase) -> None:
    good = ("medicine,form,strength,quantity,expiry\n"
            "amoxicillin,dispersible tablet,250 mg,100,2027-06-30\n"
            "paracetamol,tablet,500 mg,200,2027-01\n")
    bad = good + "ibuprofen,tablet,two hundred,10,2027-01-01\n"
    with pytest.raises(S.StockError, match="line 4"):
        S.import_csv(db, kb, bad, TODAY)
    assert _movements(db) == 0
    count, _ = S.import_csv(db, kb, good, TODAY)
    assert count == 2 and _left(db, "paracetamol") == 200
    exported = S.export_csv(db)
    assert "paracetamol,tablet,500 mg,200,2027-01-31" in exported


def _result() -> dict[str, object]:
    return {"patient": {"age_months": 24, "sex": "male", "pregnant": False},
            "findings": {"present": ["cough", "fast_breathing"], "absent": ["fever"]},
            "triage": "non_emergency", "urgency": "urgent",
            "conditions": [{"id": "pneumonia", "probability": 0.8, "urgency": "urgent", "name": "x"}],
            "understood": {"summary": "my son Kim Chol-su coughs"}}


def test_a_record_keeps_no_words_and_moves_stock_in_the_same_transaction(
        db: Database, kb: KnowledgeBase) -> None:
    item = S.receive(db, kb, "amoxicillin", "dispersible tablet", "250 mg", 30, date(2027, 6, 30), TODAY)
    rid = save_consultation(db, _result(), TODAY, "Hyesan", 12.0, None, [Dispensed(item.id, 20)],
                            lambda s, d, r: S.dispense_item(db, s, d.medicine, d.quantity, TODAY, r))
    shown = show_record(db, rid)
    assert shown["area"] == "Hyesan" and shown["top_condition"] == "pneumonia"
    assert "understood" not in shown["result"], "free text (which may hold a name) is never stored"
    assert [m["quantity"] for m in shown["stock_movements"]] == [-20]
    # Not enough left for a second course: neither the record nor the movement is written.
    with pytest.raises(S.StockError, match="nothing was dispensed or recorded"):
        save_consultation(db, _result(), TODAY, "Hyesan", 12.0, None, [Dispensed(item.id, 20)],
                          lambda s, d, r: S.dispense_item(db, s, d.medicine, d.quantity, TODAY, r))
    assert len(list_records(db)) == 1 and _left(db, "amoxicillin") == 10


def test_an_area_is_a_label_not_an_address(db: Database) -> None:
    with pytest.raises(RecordError, match="at most 64"):
        save_consultation(db, _result(), TODAY, "x" * 65)


def test_every_row_has_a_time_ordered_id_and_the_device(db: Database, kb: KnowledgeBase) -> None:
    a = save_consultation(db, _result(), TODAY)
    b = save_consultation(db, _result(), TODAY)
    assert a < b and len(a) == 36 and a[14] == "7"  # UUIDv7
    with db.sessions() as s:
        devices = set(s.scalars(select(Consultation.device_id)))
    assert devices == {db.device_id}


def test_migrations_from_empty_and_back(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from yakbang.storage.db import MIGRATIONS, _engine

    database = open_database(db_url)
    tables = set(inspect(database.engine).get_table_names())
    assert {"consultations", "stock_items", "stock_movements", "alembic_version"} <= tables
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    database.close()
    engine = _engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert "stock_items" not in set(inspect(engine).get_table_names())
    engine.dispose()
    again = open_database(db_url)  # opening upgrades an old (here: empty) schema
    assert "stock_items" in set(inspect(again.engine).get_table_names())
    again.close()


def test_counts_per_day_area_and_condition(db: Database) -> None:
    from yakbang.storage.records import counts, save_many

    day1, day2 = date(2026, 11, 1), date(2026, 11, 2)
    cold = {**_result(), "conditions": [{"id": "common_cold", "probability": 0.6, "urgency": "self_care"}]}
    written = save_many(db, [(_result(), day1, "A"), (_result(), day1, "A"), (cold, day1, "B"),
                             (_result(), day2, "A")], batch=3)
    assert written == 4
    assert counts(db) == [(day1, "A", "pneumonia", 2), (day1, "B", "common_cold", 1),
                          (day2, "A", "pneumonia", 1)]
    assert counts(db, since=day2) == [(day2, "A", "pneumonia", 1)]

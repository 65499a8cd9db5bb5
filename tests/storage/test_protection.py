"""Protection at rest: an encrypted database, a wrong passphrase, and wipe."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from yakbang.kb import KnowledgeBase
from yakbang.storage import StorageError, open_database
from yakbang.storage import stock as S
from yakbang.storage.db import create_encrypted, wipe
from yakbang.storage.records import list_records, save_consultation

RESULT = {"patient": {"age_months": 40, "sex": "female", "pregnant": False},
          "findings": {"present": ["diarrhoea"], "absent": []}, "urgency": "self_care",
          "conditions": [{"id": "acute_watery_diarrhoea", "probability": 0.7, "urgency": "self_care"}]}


def test_an_encrypted_database_is_unreadable_without_its_passphrase(
        tmp_path: Path, kb: KnowledgeBase) -> None:
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    db = create_encrypted(url, "correct horse battery")
    S.receive(db, kb, "paracetamol", "tablet", "500 mg", 10, date(2027, 1, 1), date(2026, 11, 29))
    save_consultation(db, RESULT, date(2026, 11, 29), "Musan")
    db.close()
    raw = (tmp_path / "secret.db").read_bytes()
    assert b"SQLite format 3" not in raw and b"Musan" not in raw and b"paracetamol" not in raw
    with pytest.raises(StorageError, match="encrypted; give its passphrase"):
        open_database(url, passphrase="")
    with pytest.raises(StorageError, match="wrong passphrase"):
        open_database(url, passphrase="not it at all")
    again = open_database(url, passphrase="correct horse battery")
    assert [r["area"] for r in list_records(again)] == ["Musan"]
    again.close()


def test_a_short_passphrase_and_an_existing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="at least 8"):
        create_encrypted(f"sqlite:///{tmp_path / 'a.db'}", "short")
    open_database(f"sqlite:///{tmp_path / 'b.db'}").close()
    with pytest.raises(StorageError, match="already exists"):
        create_encrypted(f"sqlite:///{tmp_path / 'b.db'}", "long enough passphrase")


def test_wipe_destroys_the_data_and_the_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    db = create_encrypted(url, "correct horse battery")
    save_consultation(db, RESULT, date(2026, 11, 29))
    db.close()
    gone = wipe(url)
    assert (tmp_path / "w.db") in gone and (tmp_path / "w.db.key") in gone
    assert not list(tmp_path.glob("w.db*"))


def test_wipe_on_postgresql_drops_the_tables(db_url: str) -> None:
    db = open_database(db_url)
    save_consultation(db, RESULT, date(2026, 11, 29))
    db.close()
    wipe(db_url)
    fresh = open_database(db_url)  # a new, empty schema
    assert list_records(fresh) == []
    fresh.close()

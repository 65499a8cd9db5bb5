"""Real processes: two writing at once, and one killed with SIGKILL in the middle of writing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date

from sqlalchemy import func, select, text

from yakbang.kb import KnowledgeBase
from yakbang.storage import Database
from yakbang.storage import stock as S
from yakbang.storage.models import Consultation, StockMovement

DISPENSER = """
import sys
from datetime import date
from yakbang.kb import load_kb
from yakbang.storage import open_database
from yakbang.storage import stock as S
from yakbang.storage.records import save_consultation
kb, db = load_kb(), open_database(sys.argv[1])
result = {"patient": {"age_months": 30, "sex": "female", "pregnant": False},
          "findings": {"present": ["cough"], "absent": []}, "urgency": "self_care",
          "conditions": [{"id": "common_cold", "probability": 0.9, "urgency": "self_care"}]}
given = refused = 0
for _ in range(int(sys.argv[2])):
    try:
        S.dispense(db, kb, "paracetamol", 1, date(2026, 11, 29))
        given += 1
    except S.StockError:
        refused += 1
    save_consultation(db, result, date(2026, 11, 29), "race")
print(given, refused)
"""

WRITER = """
import sys
from datetime import date
from yakbang.storage import open_database
from yakbang.storage.records import save_consultation
db = open_database(sys.argv[1])
result = {"patient": {"age_months": 300, "sex": "male", "pregnant": False},
          "findings": {"present": ["fever"], "absent": []}, "urgency": "self_care",
          "conditions": [{"id": "common_cold", "probability": 0.5, "urgency": "self_care"}]}
for _ in range(10000):
    rid = save_consultation(db, result, date(2026, 11, 29), "crash")
    print(rid, flush=True)  # printed only after the commit returned
"""


def _count(db: Database, model: type, **where: str) -> int:
    with db.sessions() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.scalar(query) or 0)


def test_two_processes_writing_at_once_lose_nothing_and_never_go_negative(
        db: Database, db_url: str, kb: KnowledgeBase) -> None:
    S.receive(db, kb, "paracetamol", "tablet", "500 mg", 50, date(2027, 6, 30), date(2026, 11, 29))
    procs = [subprocess.Popen([sys.executable, "-c", DISPENSER, db_url, "40"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]  # communicate closes the pipes
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    given = sum(int(out.split()[0]) for out, _ in outs)
    refused = sum(int(out.split()[1]) for out, _ in outs)
    assert (given, refused) == (50, 30)  # exactly the stock, not one tablet more
    balances = [b.quantity for b in S.balances(db)]
    assert balances == [0]
    assert _count(db, StockMovement, kind="dispense") == 50
    assert _count(db, Consultation, area="race") == 80  # every record of both processes


def test_a_writer_killed_mid_write_keeps_every_committed_record(db: Database, db_url: str) -> None:
    committed: list[str] = []
    with subprocess.Popen([sys.executable, "-c", WRITER, db_url], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as proc:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while len(committed) < 300 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            committed.append(line.strip())
        proc.send_signal(signal.SIGKILL)  # in the middle of writing the next records
        committed += proc.stdout.read().split()
        proc.wait(timeout=30)
    assert len(committed) >= 300, "the writer died before it wrote 300 records"
    with db.sessions() as s:
        stored = set(s.scalars(select(Consultation.id).where(Consultation.area == "crash")))
    assert set(committed) <= stored, "a record reported committed is missing"
    with db.engine.connect() as conn:
        if db.sqlite:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        else:
            assert conn.execute(text("SELECT count(*) FROM consultation_conditions")).scalar() == len(stored)

"""Storage benchmark (issue 7): insert 100,000 consultations, then count them per day, area and
condition, on SQLite and (when YAKBANG_BENCH_PG or YAKBANG_TEST_PG names one) PostgreSQL.

    .venv/bin/python benchmarks/storage.py [--n 100000]

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from yakbang.storage import open_database
from yakbang.storage.db import wipe
from yakbang.storage.records import counts, save_many

CONDITIONS = ["common_cold", "pneumonia", "acute_watery_diarrhoea", "malaria", "measles", "bronchiolitis",
              "dysentery", "influenza", "urinary_tract_infection", "scabies"]
AREAS = [f"area-{i:02d}" for i in range(40)]


def rows(n: int, seed: int = 7) -> list[tuple[dict[str, object], date, str]]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    out = []
    for _ in range(n):
        picked = rng.sample(CONDITIONS, 3)
        result = {"patient": {"age_months": rng.randint(0, 960), "sex": rng.choice(["male", "female"]),
                              "pregnant": False},
                  "findings": {"present": ["fever", "cough"][: rng.randint(0, 2)], "absent": []},
                  "urgency": rng.choice(["self_care", "urgent", "emergency"]),
                  "conditions": [{"id": c, "probability": round(rng.random(), 3), "urgency": "urgent"}
                                 for c in picked]}
        out.append((result, start + timedelta(days=rng.randrange(3 * 365)), rng.choice(AREAS)))
    return out


def run(url: str, data: list[tuple[dict[str, object], date, str]]) -> dict[str, float]:
    db = open_database(url)
    t0 = time.perf_counter()
    save_many(db, data)
    insert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = counts(db)
    count_s = time.perf_counter() - t0
    db.close()
    return {"records": len(data), "insert_s": round(insert_s, 2),
            "records_per_s": round(len(data) / insert_s), "counts_query_s": round(count_s, 3),
            "count_rows": len(table)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    n = parser.parse_args().n
    data = rows(n)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{Path(folder) / 'bench.db'}", data)
    pg = os.environ.get("YAKBANG_BENCH_PG") or os.environ.get("YAKBANG_TEST_PG")
    if pg:
        wipe(pg)
        results["postgresql"] = run(pg, data)
        wipe(pg)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

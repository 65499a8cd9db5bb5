"""Every storage test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server comes from `scripts/pg-test-server` (CI starts it and sets
YAKBANG_TEST_PG). Without it the PostgreSQL runs are skipped locally, and fail in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'yakbang.db'}"
    url = os.environ.get("YAKBANG_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the storage tests on PostgreSQL: start scripts/pg-test-server")
        pytest.skip("no PostgreSQL test server (eval \"$(scripts/pg-test-server start)\")")
    _fresh_postgres(url)
    return url

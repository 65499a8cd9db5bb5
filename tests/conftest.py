from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from yakbang.kb import KnowledgeBase, load_kb, load_kb_from
from yakbang.storage import Database, open_database

FIXTURES = Path(__file__).parent / "fixtures"
# Parsed knowledge-base files are cached as JSON; the tests keep theirs out of the user's cache.
os.environ["YAKBANG_CACHE"] = tempfile.mkdtemp(prefix="yakbang-test-cache-")
# Records and the pill register go to a fresh data directory, never the user's.
os.environ["YAKBANG_HOME"] = tempfile.mkdtemp(prefix="yakbang-test-home-")
os.environ.pop("YAKBANG_DB", None)
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    """A tiny knowledge base whose numbers the engine tests can reason about."""
    return load_kb_from(FIXTURES / "mini_kb")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The knowledge base shipped in the package."""
    return load_kb()


@pytest.fixture(scope="session")
def dev_vignettes_path() -> Path:
    return ROOT / "vignettes" / "dev.json"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """The database at `db_url`, which each test folder's conftest (or module) provides."""
    database = open_database(db_url)
    yield database
    database.close()

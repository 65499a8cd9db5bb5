"""A page served beyond this machine asks for a login: argon2 hashes, a brake on guessing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yakbang.kb import KnowledgeBase
from yakbang.web.app import Settings, create_app
from yakbang.web.login import MAX_FAILURES, add_user, load_users


@pytest.fixture
def users(tmp_path: Path) -> dict[str, str]:
    path = add_user("nurse1", "a long enough password", tmp_path / "users.json")
    stored = load_users(path)
    assert stored["nurse1"].startswith("$argon2id$")  # only the hash is kept
    assert "a long enough password" not in path.read_text(encoding="utf-8")
    return stored


def _login(c: TestClient, password: str) -> int:
    c.get("/login")
    r = c.post("/login", data={"csrf": c.cookies.get("yakbang_csrf") or "", "name": "nurse1",
                               "password": password}, follow_redirects=False)
    return r.status_code


def test_pages_and_the_api_need_a_login(kb: KnowledgeBase, users: dict[str, str]) -> None:
    with TestClient(create_app(Settings(users=users), kb)) as c:
        assert c.get("/", follow_redirects=False).status_code == 303
        assert c.get("/api/stock").status_code == 401
        assert c.get("/static/style.css").status_code == 200
        assert _login(c, "a long enough password") == 303
        assert c.get("/").status_code == 200
        assert c.get("/api/stock").status_code == 200


def test_guessing_is_slowed_down(kb: KnowledgeBase, users: dict[str, str]) -> None:
    with TestClient(create_app(Settings(users=users), kb)) as c:
        for _ in range(MAX_FAILURES):
            assert _login(c, "wrong guess!") == 401
        assert _login(c, "a long enough password") == 429  # even the right one waits


def test_short_passwords_and_odd_names_are_refused(tmp_path: Path) -> None:
    from yakbang.errors import UserError

    with pytest.raises(UserError, match="at least 10"):
        add_user("nurse2", "short", tmp_path / "u.json")
    with pytest.raises(UserError, match="letters"):
        add_user("no spaces please", "a long enough password", tmp_path / "u.json")

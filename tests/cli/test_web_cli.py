"""`yakbang serve` and `yakbang web`, as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def test_serving_beyond_this_machine_needs_a_user(run: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKBANG_HOME", str(tmp_path))
    r = run("serve", "--host", "0.0.0.0")
    assert r.code == 2 and "web adduser" in r.err
    monkeypatch.setenv("YAKBANG_WEB_PASSWORD", "a long enough password")
    assert run("web", "adduser", "nurse1").code == 0
    assert set(json.loads((tmp_path / "web-users.json").read_text(encoding="utf-8"))) == {"nurse1"}

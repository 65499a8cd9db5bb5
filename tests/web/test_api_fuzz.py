"""schemathesis against /openapi.json: no server error on any generated input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from yakbang.kb import load_kb
from yakbang.web.app import Settings, create_app

_home = Path(os.environ["YAKBANG_HOME"])
APP = create_app(Settings(db=f"sqlite:///{_home / 'fuzz.db'}"), load_kb())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.path, response.text[:300])


def test_the_schema_lists_the_api() -> None:
    paths = set(APP.openapi()["paths"])
    assert {"/api/advise", "/api/identify/name", "/api/identify/pill", "/api/stock"} <= paths


@pytest.mark.parametrize("path", ["/openapi.json"])
def test_openapi_is_served(path: str) -> None:
    from fastapi.testclient import TestClient

    with TestClient(APP) as c:
        assert c.get(path).status_code == 200

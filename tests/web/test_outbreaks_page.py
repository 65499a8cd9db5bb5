"""The outbreak page and /api/outbreaks, from records stored in the app's database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from yakbang.kb import KnowledgeBase
from yakbang.storage import Database
from yakbang.storage.records import save_consultation, save_many
from yakbang.web.app import Settings, create_app

TODAY = date.today()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("YAKBANG_DB", url)
    return url


@pytest.fixture
def client(kb: KnowledgeBase, db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), kb)) as c:
        yield c


def _result(top: str, present: list[str], age_months: int = 60, sex: str = "female") -> dict[str, Any]:
    return {"patient": {"age_months": age_months, "sex": sex, "pregnant": False},
            "findings": {"present": present, "absent": []}, "urgency": "urgent",
            "conditions": [{"id": top, "probability": 0.8, "urgency": "urgent"}]}


def _diarrhoea() -> dict[str, Any]:
    return _result("gastroenteritis", ["watery_diarrhoea"])


def _text(html: str) -> str:
    """The words a reader sees, pictures left out."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _cards(html: str) -> list[str]:
    return re.findall(r'<section class="card outbreak.*?</section>', html, flags=re.S)


def _steady_then_a_jump(db: Database, last: date) -> None:
    """Three cases a day for 60 days in Hyesan and Musan; Hyesan jumps to 15 on its last 3 days."""
    rows = []
    for back in range(60):
        day = last - timedelta(days=back)
        rows += [(_diarrhoea(), day, "Musan") for _ in range(3)]
        rows += [(_diarrhoea(), day, "Hyesan") for _ in range(15 if back < 3 else 3)]
    save_many(db, rows)


def test_an_empty_database_says_no_records_yet(client: TestClient) -> None:
    page = client.get("/outbreaks?lang=en")
    assert page.status_code == 200
    assert "No records yet." in _text(page.text)
    assert not _cards(page.text) and "<svg" not in page.text
    assert client.get("/outbreaks?lang=ko").text.count("아직 기록이 없습니다.") == 1
    api = client.get("/api/outbreaks")
    assert api.status_code == 200
    assert api.json() == {"days": 0, "methods": [], "skipped": [], "alerts": []}


def test_one_suspected_cholera_case_is_an_act_now_card(client: TestClient, db: Database) -> None:
    save_many(db, [(_result("common_cold", ["runny_nose"]), TODAY - timedelta(days=i), "Hyesan")
                   for i in range(1, 5)])
    rid = save_consultation(db, _result("cholera", ["watery_diarrhoea", "sunken_eyes"]), TODAY, "Hyesan")

    api = client.get("/api/outbreaks").json()
    single = [a for a in api["alerts"] if a["method"] == "who_single_case"]
    assert [(a["syndrome"], a["area"], a["date"], a["records"]) for a in single] == [
        ("suspected_cholera", "Hyesan", TODAY.isoformat(), [rid])]
    assert api["days"] == 1 and "ewma" in api["skipped"] and "who" in api["methods"]

    ko = client.get("/outbreaks", params={"lang": "ko"})
    assert ko.status_code == 200
    cards = _cards(ko.text)
    assert cards, "one suspected cholera case is an alert"
    first = _text(cards[0])
    assert "콜레라 의심" in first and "지금 곧 대책을 세우십시오" in first
    assert "Hyesan" in first and TODAY.isoformat() in first and "who_single_case" in first
    assert 'class="card outbreak single"' in cards[0]
    assert "<details>" in cards[0] and "두 살 이상" in first  # the case definition, in Korean
    assert rid[:13] in first and rid not in ko.text  # the id, cut to 13 characters
    assert "<svg" in cards[0]
    assert "기록한 날이 모자라서 쓰지 않은 방법" in _text(ko.text)  # one day: the statistics wait
    en = client.get("/outbreaks", params={"lang": "en"})
    assert "Suspected cholera" in _text(en.text) and "Act now: one case is an alert." in _text(en.text)


def test_a_jump_after_steady_weeks_is_a_card_with_its_picture(client: TestClient, db: Database) -> None:
    _steady_then_a_jump(db, TODAY)
    save_consultation(db, _result("cholera", ["watery_diarrhoea"]), TODAY - timedelta(days=10), "Onsong")
    page = client.get("/outbreaks", params={"lang": "en"})
    assert page.status_code == 200
    cards = _cards(page.text)
    assert "Suspected cholera" in _text(cards[0]), "a single-case alert comes first, even when older"
    hyesan = [c for c in cards if "Hyesan" in _text(c)]
    assert len(hyesan) == 1, "one card per area and syndrome"
    card = hyesan[0]
    assert "Acute watery diarrhoea" in _text(card)
    assert re.search(r"<svg[^>]*class=\"plot\"", card)
    assert "style=" not in card and "<style" not in card  # the page's CSP would drop inline styles
    assert "who_doubling" in _text(card)
    assert re.search(r"Cases that day\s*</dt>\s*<dd>15</dd>", card)
    assert re.search(r"\d+\.\d × the alarm level", _text(card))
    assert re.search(r"Records behind it\s*</dt>\s*<dd>45:", card)  # 3 days of 15 cases
    assert not any("Musan" in _text(c) for c in cards), "a steady count is no alert"
    assert "Records cover 60 days." in _text(page.text)
    legend = _text(page.text).split("How alerts are raised")[1]
    assert "ewma" in legend and "regression" in legend and "WHO rule: one case is an alert." in legend

    api = client.get("/api/outbreaks").json()
    assert api["days"] == 60 and "ewma" in api["methods"] and "ewma" not in api["skipped"]
    assert {a["area"] for a in api["alerts"]} == {"Hyesan", "Onsong"}
    assert all("plot" not in a for a in api["alerts"])


def test_since_and_the_false_alarm_rate_choose_what_is_shown(client: TestClient, db: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from yakbang.web import outbreaks

    asked: list[tuple[date | None, float]] = []
    real = outbreaks.report

    def spy(db: Database, kb: KnowledgeBase, since: date | None = None, rate: float = 0.01) -> Any:
        asked.append((since, rate))
        return real(db, kb, since, rate)

    monkeypatch.setattr(outbreaks, "report", spy)
    _steady_then_a_jump(db, TODAY - timedelta(days=40))
    client.get("/outbreaks")
    client.get("/api/outbreaks", params={"since": "2026-01-05", "rate": "0.5"})
    assert asked == [(TODAY - timedelta(days=68), 0.01), (date(2026, 1, 5), 0.005)]
    # By default, the 28 days before the latest record day: the jump is in them.
    assert client.get("/api/outbreaks").json()["alerts"]
    # From after the jump, nothing.
    later = (TODAY - timedelta(days=35)).isoformat()
    assert client.get("/api/outbreaks", params={"since": later}).json()["alerts"] == []
    page = client.get("/outbreaks", params={"since": later, "rate": "2", "lang": "en"})
    assert page.status_code == 200 and "No alerts." in _text(page.text)
    assert f'value="{later}"' in page.text and '<option value="2" selected>' in page.text
    for rate in ("0.5", "1", "2"):
        assert client.get("/api/outbreaks", params={"rate": rate}).status_code == 200


@pytest.mark.parametrize("since, rate", [("yesterday", None), ("2026-13-01", None), ("x" * 400, None),
                                         (None, "5"), (None, "nan"), (None, "0.01"), (None, "lots")])
def test_bad_input_is_a_plain_400(client: TestClient, since: str | None, rate: str | None) -> None:
    params = {k: v for k, v in (("since", since), ("rate", rate)) if v is not None}
    api = client.get("/api/outbreaks", params=params)
    assert api.status_code == 400
    error = api.json()["error"]
    assert ("2026-11-01" in error) if since else ("0.5, 1 or 2" in error)
    page = client.get("/outbreaks", params={**params, "lang": "en"})
    assert page.status_code == 400 and 'role="alert"' in page.text
    assert error in _text(page.text) and "Traceback" not in page.text
    ko = client.get("/outbreaks", params={**params, "lang": "ko"})
    assert ko.status_code == 400 and ("2026-11-01처럼" in ko.text if since else "0.5, 1, 2" in ko.text)


def test_the_page_shows_nothing_about_the_person_but_a_short_id(client: TestClient, db: Database) -> None:
    rid = save_consultation(db, _result("cholera", ["watery_diarrhoea"], age_months=517, sex="male"),
                            TODAY, "Onsong", weight_kg=63.7)
    page = client.get("/outbreaks", params={"lang": "en"})
    assert _cards(page.text)
    text = _text(page.text)
    assert rid[:13] in text and rid[13:] not in page.text
    for private in ("517", "63.7", "male", "Male", db.device_id, "common_cold", "urgent", "cholera\""):
        assert private not in text, private
    api = client.get("/api/outbreaks").json()
    assert set(api["alerts"][0]) == {"area", "syndrome", "date", "since", "method", "score", "threshold",
                                     "count", "records"}


def test_an_odd_area_name_is_escaped_and_still_drawn(client: TestClient, db: Database) -> None:
    area = "<b>Sam</b> $\\frac$"  # HTML, and what matplotlib would read as a broken formula
    save_consultation(db, _result("cholera", ["watery_diarrhoea"]), TODAY, area)
    page = client.get("/outbreaks", params={"lang": "en"})
    assert page.status_code == 200
    card = _cards(page.text)[0]
    assert "<b>Sam</b>" not in card and "&lt;b&gt;Sam&lt;/b&gt;" in card and "<svg" in card


def test_the_page_and_the_api_need_a_login_when_logins_are_on(kb: KnowledgeBase, db_url: str,
                                                              tmp_path: Path) -> None:
    from yakbang.web.login import add_user, load_users

    users = load_users(add_user("nurse1", "a long enough password", tmp_path / "users.json"))
    with TestClient(create_app(Settings(users=users), kb)) as c:
        assert c.get("/outbreaks", follow_redirects=False).status_code == 303
        assert c.get("/api/outbreaks").status_code == 401
        c.get("/login")
        c.post("/login", data={"csrf": c.cookies.get("yakbang_csrf") or "", "name": "nurse1",
                               "password": "a long enough password"}, follow_redirects=False)
        assert "No records yet." in _text(c.get("/outbreaks?lang=en").text)
        assert c.get("/api/outbreaks").json()["alerts"] == []

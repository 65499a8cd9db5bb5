"""The web page and its JSON API, through the real application (routes, security, languages)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yakbang.kb import KnowledgeBase
from yakbang.types import Lang
from yakbang.web import i18n
from yakbang.web.app import Settings, create_app

TEMPLATES = Path(__file__).parent.parent.parent / "src" / "yakbang" / "web" / "templates"


@pytest.fixture
def client(kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("YAKBANG_DB", f"sqlite:///{tmp_path / 'web.db'}")
    with TestClient(create_app(Settings(), kb)) as c:
        yield c


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _start(c: TestClient, text: str, **person: str) -> str:
    c.get("/")
    data = {"csrf": c.cookies.get("yakbang_csrf") or "", "age_years": "2", "sex": "male", "text": text,
            **person}
    r = c.post("/consult", data=data)
    assert r.status_code == 200, r.text
    return r.text


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def _finish(c: TestClient, html: str, answer: str = "no") -> str:
    for _ in range(30):
        if 'class="banner' in html:
            return html
        fields = _hidden(html)
        r = c.post("/consult/answer", data={**fields, "answer": answer})
        assert r.status_code == 200, r.text
        html = r.text
    raise AssertionError("the interview did not end")


def test_korean_by_default_when_the_browser_asks_and_english_on_request(client: TestClient) -> None:
    ko = client.get("/", headers={"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert "누가 아픕니까?" in ko.text and 'lang="ko"' in ko.text
    en = client.get("/?lang=en")
    assert "Who is ill?" in en.text and 'lang="en"' in en.text


def test_every_response_has_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "<script src=\"/static/htmx.min.js\"" in r.text
    assert "http" not in re.sub(r'(xmlns|https?://www\.w3\.org)[^"]*', "", r.text.split("<body")[0])


def test_a_whole_consultation_in_korean_gives_advice_with_a_dose(client: TestClient) -> None:
    html = _start(client, "두 살 아들이 사흘째 기침하고 숨을 빨리 쉬어요, 열이 나요", weight="12")
    assert "알아들은 것" in html and "기침" in html
    result = _finish(client, html)
    text = _text(result)
    assert 'class="banner non_emergency"' in result or 'class="banner emergency"' in result
    assert "아목시실린" in text and 'class="pill"' in result  # the dose as tablets
    assert "기록함" in text  # a record was kept (no name)


def test_a_danger_sign_is_an_emergency_banner(client: TestClient) -> None:
    html = _start(client, "the child had a fit and now cannot drink at all", lang="en")
    fields = _hidden(html)
    result = client.post("/consult/answer", data={**fields, "answer": "finish"}).text
    assert 'class="banner emergency"' in result


@pytest.mark.parametrize(("text", "banner"), [
    ("cough and fast breathing, fever", "See a health worker TODAY."),  # pneumonia: urgent
    ("fever for 3 days, ear pain, pus from the ear", "See a health worker within a few days."),
])
def test_the_banner_says_how_soon_as_the_urgency_does(client: TestClient, text: str, banner: str) -> None:
    client.get("/?lang=en")
    html = _start(client, text)
    result = client.post("/consult/answer", data={**_hidden(html), "answer": "finish"}).text
    assert banner in _text(result)


def test_user_text_is_escaped(client: TestClient) -> None:
    html = _start(client, "cough <script>alert(1)</script> zzqx")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html or "alert" not in html


def test_a_form_without_its_token_is_refused(client: TestClient) -> None:
    client.get("/")
    r = client.post("/consult", data={"csrf": "forged", "age_years": "2", "sex": "male", "text": "cough"})
    assert r.status_code == 403


def test_large_bodies_are_refused(client: TestClient) -> None:
    r = client.post("/consult", content=b"x" * 70_000,
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_api_advise_and_its_guard(client: TestClient) -> None:
    r = client.post("/api/advise", json={"age_months": 24, "sex": "male", "text": "cough and fast breathing",
                                         "lang": "en", "weight_kg": 12})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["triage"] in ("emergency", "non_emergency") and data["next_question"]
    assert client.post("/api/advise", data={"age_months": "24"}).status_code == 415
    assert client.post("/api/advise", json={"age_months": -1, "sex": "male"}).status_code == 422


def test_api_identify_and_stock(client: TestClient) -> None:
    name = client.get("/api/identify/name", params={"q": "阿莫西林胶囊 0.25g"}).json()
    assert name["status"] == "identified"
    assert name["candidates"][0]["ingredients"][0]["amount"] == 250
    assert client.get("/api/identify/name", params={"q": ""}).status_code == 422
    pill = client.get("/api/identify/pill", params={"imprint": "CG", "colour": "yellow"}).json()
    assert pill["candidates"][0]["id"] == "coartem_20_120"
    assert client.get("/api/stock").json() == {"balances": []}


def test_stock_received_on_the_page_is_listed(client: TestClient) -> None:
    client.get("/stock")
    r = client.post("/stock/receive", data={"csrf": client.cookies.get("yakbang_csrf") or "",
                                            "medicine": "paracetamol", "form": "tablet", "strength": "500 mg",
                                            "quantity": "100", "expiry": "2030-01-01"})
    assert r.status_code == 200 and "paracetamol" in r.text
    assert client.get("/api/stock").json()["balances"][0]["quantity"] == 100
    bad = client.post("/stock/receive", data={"csrf": client.cookies.get("yakbang_csrf") or "",
                                              "medicine": "Zorvexalin", "form": "tablet", "strength": "5 mg",
                                              "quantity": "1", "expiry": "2030-01-01"})
    assert bad.status_code == 400 and "not known" in bad.text


def test_identify_page_and_the_other_pages(client: TestClient) -> None:
    r = client.get("/identify", params={"q": "타이레놀 500", "lang": "ko"})
    assert "파라세타몰" in r.text
    for path in ("/records", "/outbreaks", "/stock"):
        assert client.get(path).status_code == 200


def test_every_page_text_has_korean() -> None:
    ids: list[str] = []
    for f in sorted(TEMPLATES.glob("*.html")):
        ids += re.findall(r'_\(\s*"([^"]+)"\s*\)', f.read_text(encoding="utf-8"))
        ids += re.findall(r"_\(\s*'([^']+)'\s*\)", f.read_text(encoding="utf-8"))
    assert ids
    assert i18n.missing(Lang.KO, ids) == []


def test_the_consultation_page_weighs_under_100_kb_with_everything(client: TestClient) -> None:
    page = client.get("/", headers={"accept-encoding": "gzip"})
    total = len(page.content)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        r = client.get(asset, headers={"accept-encoding": "gzip"})
        assert r.status_code == 200
        total += int(r.headers.get("content-length", len(r.content)))
    assert total < 100_000, total


def test_api_interview_step(client: TestClient) -> None:
    body = {"age_months": 24, "sex": "male", "present": ["cough", "fast_breathing"], "lang": "en"}
    first = client.post("/api/interview", json=body).json()
    assert first["next_question"]["finding"] and first["leading"]
    danger = client.post("/api/interview", json={**body, "present": ["cough", "convulsions"]}).json()
    assert danger["triage"] == "emergency"
    assert client.post("/api/interview", json={**body, "present": ["no_such_finding"]}).status_code == 422


def test_dispense_on_the_page_and_records_export(client: TestClient) -> None:
    client.get("/stock")
    token = client.cookies.get("yakbang_csrf") or ""
    client.post("/stock/receive", data={"csrf": token, "medicine": "paracetamol", "form": "tablet",
                                        "strength": "500 mg", "quantity": "10", "expiry": "2030-01-01"})
    assert client.post("/stock/dispense", data={"csrf": token, "medicine": "paracetamol",
                                                "quantity": "4"}).status_code == 200
    assert client.get("/api/stock").json()["balances"][0]["quantity"] == 6
    too_many = client.post("/stock/dispense",
                           data={"csrf": token, "medicine": "paracetamol", "quantity": "7"})
    assert too_many.status_code == 400 and "nothing was dispensed" in too_many.text
    _finish(client, _start(client, "cough and runny nose", lang="en"))
    export = client.get("/records/export.csv")
    assert export.status_code == 200 and export.text.startswith("id,device_id")
    assert len(export.text.strip().splitlines()) == 2


def test_pictures_are_plain_drawings() -> None:
    import xml.dom.minidom

    pictures = sorted((TEMPLATES.parent / "static" / "pictures").glob("*.svg"))
    assert len(pictures) >= 10
    for path in pictures:
        text = path.read_text(encoding="utf-8")
        xml.dom.minidom.parseString(text)  # well-formed
        lowered = text.lower()
        assert "<script" not in lowered and "style" not in lowered, path.name
        assert lowered.count("http") == 1, path.name  # only the xmlns
        assert "<title>" in text and len(text) < 4000, path.name


def test_a_question_shows_its_picture(client: TestClient, kb: KnowledgeBase) -> None:
    pictures = {p.stem for p in (TEMPLATES.parent / "static" / "pictures").glob("*.svg")}
    html = _start(client, "cough and fast breathing", lang="en")
    for _ in range(15):
        fields = _hidden(html)
        if fields.get("finding") in pictures:
            assert f'/static/pictures/{fields["finding"]}.svg' in html
            return
        if 'class="banner' in html:
            break
        html = client.post("/consult/answer", data={**fields, "answer": "no"}).text
    pytest.fail("no question with a picture was asked")


def test_no_raw_data_leaks_into_the_advice(client: TestClient) -> None:
    html = _start(client, "두 살 아들이 사흘째 기침하고 숨을 빨리 쉬어요, 열이 나요", weight="12")
    result = _finish(client, html)
    assert "{'key'" not in result and "&#39;key&#39;" not in result and "None" not in _text(result)


def test_api_stock_and_records(client: TestClient) -> None:
    r = client.post("/api/stock/receive", json={"medicine": "paracetamol", "form": "tablet",
                                                "strength": "500 mg", "quantity": 20, "expiry": "2030-01"})
    assert r.status_code == 200, r.text
    given = client.post("/api/stock/dispense", json={"medicine": "paracetamol", "quantity": 5})
    assert given.status_code == 200
    short = client.post("/api/stock/dispense", json={"medicine": "paracetamol", "quantity": 50})
    assert short.status_code == 422 and "nothing was dispensed" in short.json()["error"]
    assert client.get("/api/stock").json()["balances"][0]["quantity"] == 15
    client.post("/api/advise", json={"age_months": 30, "sex": "female", "present": ["cough"], "save": True,
                                     "area": "Musan"})
    assert [r["area"] for r in client.get("/api/records").json()] == ["Musan"]

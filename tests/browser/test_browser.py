"""A real browser (Debian's chromium driven by Playwright) through the page on a phone-sized screen.

No browser is downloaded: Playwright launches /usr/bin/chromium, which `.ci/run` installs.
Screenshots go to test-artifacts/. Without chromium the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page

from yakbang.kb import KnowledgeBase
from yakbang.web.app import Settings, create_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium")
        pytest.skip("no /usr/bin/chromium")
    db = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}"
    os.environ["YAKBANG_DB"] = db
    port = _free_port()
    config = uvicorn.Config(create_app(Settings(db=db), kb), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    os.environ.pop("YAKBANG_DB", None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _page(browser: Browser, locale: str) -> Page:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale=locale)
    return context.new_page()


def _consult(page: Page, base: str, age: str, sex: str, text: str, no: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=age_years]", age)
    page.check(f"input[name=sex][value={sex}]")
    page.fill("input[name=weight]", "12")
    page.fill("textarea[name=text]", text)
    page.click("button[type=submit]")
    for _ in range(20):
        page.wait_for_selector(".banner, button[value=no]")
        if page.query_selector(".banner"):
            return
        page.click(f"button[value=no]:has-text('{no}')")
    raise AssertionError("the interview did not end")


def _receive(page: Page, base: str, medicine: str, form: str, strength: str, quantity: str) -> None:
    page.goto(base + "/stock")
    page.fill("form[action='/stock/receive'] input[name=medicine]", medicine)
    page.fill("input[name=form]", form)
    page.fill("input[name=strength]", strength)
    page.fill("form[action='/stock/receive'] input[name=quantity]", quantity)
    page.fill("input[name=expiry]", "2030-06-30")
    page.click("form[action='/stock/receive'] button")
    page.wait_for_selector(f"td:has-text('{medicine}')")


def test_a_consultation_in_korean_on_a_phone(server: str, browser: Browser) -> None:
    page = _page(browser, "ko-KR")
    _receive(page, server, "amoxicillin", "dispersible tablet", "250 mg", "100")
    _consult(page, server, "2", "male", "두 살 아들이 사흘째 기침하고 숨을 빨리 쉬어요, 열이 나요", "아니오")
    assert "재고에서" in page.inner_text("main")  # the dose in tablets from the shelf
    assert page.inner_text(".banner")
    assert page.query_selector(".pill")  # the dose as tablets
    assert "아목시실린" in page.inner_text("main")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "nothing wider than the phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "consultation-ko.png"), full_page=True)


def test_a_consultation_in_english(server: str, browser: Browser) -> None:
    page = _page(browser, "en-GB")
    _consult(page, server, "30", "female", "diarrhoea and vomiting since yesterday", "No")
    assert page.query_selector(".banner")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "consultation-en.png"), full_page=True)


def test_identification_and_a_stock_receipt(server: str, browser: Browser) -> None:
    page = _page(browser, "ko-KR")
    page.goto(server + "/identify")
    page.fill("input[name=q]", "感冒灵")
    page.click("button[type=submit]")
    page.wait_for_selector("text=파라세타몰")
    _receive(page, server, "paracetamol", "tablet", "500 mg", "200")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stock.png"), full_page=True)

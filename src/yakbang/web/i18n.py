"""Page texts in Korean and English: gettext catalogues read with Babel.

English strings are the message ids; `locale/ko/LC_MESSAGES/messages.po` holds the Korean. The
catalogue is compiled in memory when the server starts, so no binary .mo file is kept in the
repository. Korean is chosen when the browser asks for it first, or `?lang=ko` was clicked.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from yakbang.types import Lang

LOCALE = Path(__file__).parent / "locale"


@cache
def translations(lang: Lang) -> gettext.NullTranslations:
    if lang is Lang.EN:
        return gettext.NullTranslations()
    path = LOCALE / lang.value / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang.value)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def missing(lang: Lang, messages: list[str]) -> list[str]:
    """Message ids without a translation (the tests keep this empty)."""
    t = translations(lang)
    return [m for m in messages if t.gettext(m) == m]


def pick(query: str | None, cookie: str | None, accept: str | None) -> Lang:
    """?lang=, then the cookie, then the browser's first language that yakbang has; Korean default."""
    for value in (query, cookie):
        if value in ("ko", "en"):
            return Lang(value)
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("ko"):
            return Lang.KO
        if code.startswith("en"):
            return Lang.EN
    return Lang.KO

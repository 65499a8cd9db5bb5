"""The free-text reader on arbitrary input: it never crashes, never reads outside the text,
never says a finding is both present and absent, and refuses only with a UserError."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yakbang.errors import UserError
from yakbang.kb import KnowledgeBase, load_kb
from yakbang.text import understand
from yakbang.text.matcher import MAX_TEXT, _clean

KB: KnowledgeBase = load_kb()

# Pieces people type, mixed at random with arbitrary characters.
PIECES = ["fever", "no", "cough", "for", "3", "days", "39.5", "열이", "없어요", "안", "토해요",
          "설사를", "열", "번", "사흘째", "my", "son", "아들이", "임신", "7개월", "190/120",
          "since", "monday", "diarea", ",", ".", " ", "하지만", "기침이나", "콧물은", "twice"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map(" ".join)


@settings(max_examples=600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_reader_is_total_and_consistent(text: str) -> None:
    try:
        u = understand(KB, text, date(2026, 11, 29))
    except UserError:
        assert not text.strip() or len(text) > MAX_TEXT or not any(
            (ch.isascii() and ch.isalpha()) or "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e"
            for ch in text)
        return
    assert not set(u.present) & set(u.absent)
    clean = _clean(text)
    for m in u.mentions:
        assert m.finding_id in KB.findings
        assert 0 <= m.start < m.end <= len(clean)
        if not m.derived:  # reported in the words as typed, wherever it was matched
            assert clean[m.start:m.end].startswith(m.text.split(" ")[0]), (m, clean)
    for q in u.quantities:
        assert 0 <= q.start < q.end <= len(clean)

"""Free text to findings with the knowledge base's words (mini knowledge base)."""

from __future__ import annotations

import pytest

from yakbang.errors import UserError
from yakbang.kb import KnowledgeBase
from yakbang.text import understand


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("fever and cough but no runny nose", ["fever", "cough"], ["runny_nose"]),
    ("no fever or cough", [], ["fever", "cough"]),
    ("denies fever. coughing since monday", ["cough"], ["fever"]),
    ("my son has the runs with bloody stool", ["diarrhoea", "blood_in_stool"], []),
    ("fits absent", [], ["convulsions"]),
    ("Feverish, COUGH", ["fever", "cough"], []),
    ("아이가 열이 나고 기침은 없어요", ["fever"], ["cough"]),
    ("설사를 하고 피똥을 눠요", ["diarrhoea", "blood_in_stool"], []),
    ("기침을 안 해요", [], ["cough"]),
    ("기침 하지만 열은 없어요", ["cough"], ["fever"]),
    ("열흘째 기침", ["cough"], []),  # a one-syllable word never matches inside another
    ("열", ["fever"], []),
])
def test_findings_and_negation(mini_kb: KnowledgeBase, text: str, present: list[str],
                               absent: list[str]) -> None:
    u = understand(mini_kb, text)
    assert u.present == present
    assert u.absent == absent


def test_typos_are_forgiven_but_marked(mini_kb: KnowledgeBase) -> None:
    u = understand(mini_kb, "diarhea and feverr")
    assert u.present == ["diarrhoea", "fever"]
    assert all(m.fuzzy for m in u.mentions)


def test_unknown_words_are_reported_not_invented(mini_kb: KnowledgeBase) -> None:
    u = understand(mini_kb, "he feels heavy and has fever")
    assert u.present == ["fever"]
    assert u.not_understood == ("he feels heavy",) or "heavy" in " ".join(u.not_understood)


@pytest.mark.parametrize("text", ["!!! ???", "😀😀", "12345", "bonjour monsieur"])
def test_nothing_is_invented_from_noise(mini_kb: KnowledgeBase, text: str) -> None:
    u = understand(mini_kb, text)
    assert u.present == [] and u.absent == []


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_empty_or_huge_text_is_a_user_error(mini_kb: KnowledgeBase, text: str) -> None:
    with pytest.raises(UserError):
        understand(mini_kb, text)

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


@pytest.mark.parametrize("text", ["bonjour monsieur", "zzz qqq", "ok ok 123"])
def test_nothing_is_invented_from_noise(mini_kb: KnowledgeBase, text: str) -> None:
    u = understand(mini_kb, text)
    assert u.present == [] and u.absent == []
    assert u.not_understood


@pytest.mark.parametrize(("text", "needle"), [
    ("!!! ???", "punctuation or symbols"), ("😀😀", "punctuation or symbols"),
    ("12345", "only numbers"), ("у ребёнка жар", "Cyrillic"), ("孩子发烧了", "Cjk"),
])
def test_text_in_no_readable_script_says_what_it_is(mini_kb: KnowledgeBase, text: str,
                                                     needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        understand(mini_kb, text)


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_empty_or_huge_text_is_a_user_error(mini_kb: KnowledgeBase, text: str) -> None:
    with pytest.raises(UserError):
        understand(mini_kb, text)


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("his breathing is very fast", ["fast_breathing"], []),  # loose: words apart
    ("숨이 아주 빠르다", ["fast_breathing"], []),
    ("숨이 안 빠르다", [], ["fast_breathing"]),  # negation between the loose words
    ("breathing fine, the baby is fast asleep", [], []),  # a comma ends the clause
])
def test_loose_multi_word_matches(mini_kb: KnowledgeBase, text: str, present: list[str],
                                  absent: list[str]) -> None:
    u = understand(mini_kb, text)
    assert (u.present, u.absent) == (present, absent)


def test_the_match_using_most_words_wins(mini_kb: KnowledgeBase) -> None:
    # "bloody stool" (child) beats the shorter reading of the same words.
    u = understand(mini_kb, "there was a bloody stool")
    assert u.present == ["blood_in_stool"]


def test_results_do_not_depend_on_order_of_evaluation(mini_kb: KnowledgeBase) -> None:
    texts = ["fever and cough", "no fever but fits", "his breathing is very fast"]
    first = [understand(mini_kb, t).mentions for t in texts]
    again = [understand(mini_kb, t).mentions for t in reversed(texts)][::-1]
    assert first == again


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("cough, temperature normal", ["cough"], ["fever"]),
    ("cough, temperature not normal", ["cough", "fever"], []),  # negated, it says present
    ("기침하고 열은 정상이에요", ["cough"], ["fever"]),
])
def test_phrases_that_say_a_finding_is_absent(mini_kb: KnowledgeBase, text: str, present: list[str],
                                              absent: list[str]) -> None:
    u = understand(mini_kb, text)
    assert sorted(u.present) == sorted(present) and u.absent == absent


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("diarrhoea, no blood", ["diarrhoea"], ["blood_in_stool"]),
    ("diarrhoea with blood", ["diarrhoea", "blood_in_stool"], []),
    ("설사를 해요. 피는 없어요", ["diarrhoea"], ["blood_in_stool"]),
    ("cough, no blood", ["cough"], []),  # blood names nothing without diarrhoea
])
def test_plain_words_name_a_finding_next_to_the_one_they_go_with(
        mini_kb: KnowledgeBase, text: str, present: list[str], absent: list[str]) -> None:
    u = understand(mini_kb, text)
    assert sorted(u.present) == sorted(present) and u.absent == absent

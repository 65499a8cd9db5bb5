"""Issue 5 acceptance on the development phrase set (textsets/*.json, not the held-back set).

The floors are what the reader achieves today, so that no change makes it worse unnoticed;
the issue's targets (precision 0.9, recall 0.85, negation 0.95 in each language) are reported
by `yakbang eval-text` and in the closing note, not pretended here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yakbang.evaluation.text_eval import Scores, evaluate_phrases, load_phrases
from yakbang.kb import KnowledgeBase

ROOT = Path(__file__).parent.parent.parent
DEV = sorted((ROOT / "textsets").glob("*.json"))

FLOORS = {  # language: (precision, recall, negation accuracy)
    "lang:en": (0.91, 0.83, 0.97),
    "lang:ko": (0.91, 0.82, 0.96),
}


@pytest.fixture(scope="module")
def scores(kb: KnowledgeBase) -> dict[str, Scores]:
    return evaluate_phrases(kb, load_phrases(kb, DEV))[1]


def test_the_set_is_big_and_korean_enough(kb: KnowledgeBase) -> None:
    phrases = load_phrases(kb, DEV)
    korean = [p for p in phrases if p.lang == "ko"]
    assert len(phrases) >= 300 and len(korean) >= 0.4 * len(phrases)
    tags = {t for p in korean for t in p.tags}
    assert {"nk", "negation", "typo"} <= tags


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_reader_holds_its_figures(scores: dict[str, Scores], lang: str) -> None:
    s = scores[lang]
    precision, recall, negation = FLOORS[lang]
    assert s.precision >= precision, s
    assert s.recall >= recall, s
    assert s.negation_accuracy >= negation, s

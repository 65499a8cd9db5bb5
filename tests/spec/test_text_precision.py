"""Free text must not invent findings, least of all danger signs (real knowledge base)."""

from __future__ import annotations

import pytest

from yakbang.kb import KnowledgeBase
from yakbang.text import understand

NOT_FOUND = [
    ("For months I cannot fall asleep and I wake at three in the morning", "lethargic_unconscious"),
    ("이틀 전에 무거운 구멍탄 짐을 나른 뒤부터 가슴 한 곳이 아파요", "coal_stove_room"),
    ("발목이 아파요", "sore_throat"),
    ("고개를 숙이면 이마가 더 아파요", "stiff_neck"),
    ("열흘째 기침을 해요", "fever"),
]


@pytest.mark.parametrize(("text", "finding"), NOT_FOUND)
def test_no_false_finding(kb: KnowledgeBase, text: str, finding: str) -> None:
    u = understand(kb, text)
    assert finding not in u.present + u.absent, u.mentions


FOUND = [
    ("no fever, no cough, just a runny nose and sneezing for two days",
     {"runny_nose", "sneezing"}, {"fever", "cough"}),
    ("아이가 어제부터 물 같은 설사를 열 번 넘게 하고 토해요. 눈이 쑥 들어갔어요",
     {"watery_diarrhoea", "vomiting", "sunken_eyes"}, set()),
    ("배는 안 아파요", set(), {"abdominal_pain"}),
    ("terrible pain in his left side that goes down to his groin", {"colicky_pain_to_groin"}, set()),
]


@pytest.mark.parametrize(("text", "present", "absent"), FOUND)
def test_findings_understood(kb: KnowledgeBase, text: str, present: set[str],
                             absent: set[str]) -> None:
    u = understand(kb, text)
    assert present <= set(u.present), u.mentions
    assert absent <= set(u.absent), u.mentions

"""Who is ill, when the description says so: "my 3-year-old son", "우리 할머니", "아기가".

Only what is said: a sex from a word that has one, an age from a number with an age unit,
an age group from words like "baby" or "할머니". Nothing is guessed from a word alone that
would need a number (a "baby" could be a week or a year old).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import AgeGroup
from yakbang.text.quantities import Kind, Quantity
from yakbang.types import Lang, Sex

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class PersonHint:
    sex: Sex | None
    age_months: int | None
    group: AgeGroup | None
    words: tuple[str, ...]  # what the hint was read from, as typed

    @property
    def empty(self) -> bool:
        return self.sex is None and self.age_months is None and self.group is None


@dataclass(frozen=True)
class _Word:
    pattern: re.Pattern[str]
    sex: Sex | None
    group: AgeGroup | None


def word_pattern(words: list[str], particles: list[str]) -> re.Pattern[str]:
    """Whole words; a Korean word may carry a particle ("아들이", "할머니께서")."""
    alt = "|".join(re.escape(w.lower()) for w in sorted(set(words), key=len, reverse=True))
    tail = "|".join(re.escape(p) for p in sorted(set(particles), key=len, reverse=True))
    return re.compile(rf"(?<![a-z\uac00-\ud7a3])(?:{alt})(?:{tail})?(?![a-z\uac00-\ud7a3])")


@cache
def _words(kb: KnowledgeBase) -> tuple[_Word, ...]:
    ko = kb.lexicons.get(Lang.KO)
    particles = [*(ko.particles if ko else []), "께서", "의", "한테", "네", "님"]
    out = []
    for lex in kb.lexicons.values():
        for pw in lex.persons:
            out.append(_Word(word_pattern(pw.words, particles if lex.lang is Lang.KO else []),
                             pw.sex, pw.group))
    return tuple(out)


def _group_of(months: int) -> AgeGroup:
    if months < 1:
        return AgeGroup.NEWBORN
    if months < 12:
        return AgeGroup.BABY
    if months < 18 * 12:
        return AgeGroup.CHILD
    return AgeGroup.ADULT if months < 65 * 12 else AgeGroup.ELDER


def person_hint(kb: KnowledgeBase, text: str,
                quantities: list[Quantity]) -> tuple[PersonHint, list[tuple[int, int]]]:
    """The hint and the character spans it used (so they are not reported as not understood)."""
    hits: list[tuple[int, int, _Word]] = []
    for w in _words(kb):
        hits.extend((m.start(), m.end(), w) for m in w.pattern.finditer(text))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    ages = [q for q in quantities if q.kind is Kind.AGE]
    sex = next((w.sex for _, _, w in hits if w.sex is not None), None)
    group = next((w.group for _, _, w in hits if w.group is not None), None)
    months = round(ages[0].value) if ages else None
    if months is not None:
        group = _group_of(months)
    spans = [(s, e) for s, e, _ in hits] + [(q.start, q.end) for q in ages]
    words = tuple(text[s:e] for s, e in sorted(spans))
    return PersonHint(sex, months, group, words), spans

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
    pregnant: bool = False
    pregnancy_weeks: int | None = None

    @property
    def empty(self) -> bool:
        return self.sex is None and self.age_months is None and self.group is None \
            and not self.pregnant


@dataclass(frozen=True)
class _Word:
    pattern: re.Pattern[str]
    sex: Sex | None
    group: AgeGroup | None
    weak: bool


# "my husband, 45", "my father (72)", "grandpa is 77", "할머니 (80)": a bare number of years
# right after the word for the person.
_AGE_AFTER = re.compile(r"\s*(?:,|\(|is|was|aged|age|who is|님은|은|는|이|가)?\s*(\d{1,3})(?![\d]|[.,]\d)")
_NEAR_PREGNANCY = 12  # characters between "임신" / "pregnant" and how far along


def word_pattern(words: list[str], particles: list[str]) -> re.Pattern[str]:
    """Whole words; a Korean word may carry a particle ("아들이", "할머니께서")."""
    alt = "|".join(re.escape(w.lower()) for w in sorted(set(words), key=len, reverse=True))
    tail = "|".join(re.escape(p) for p in sorted(set(particles), key=len, reverse=True))
    return re.compile(rf"(?<![a-z\uac00-\ud7a3])(?:{alt})(?:{tail})?(?![a-z\uac00-\ud7a3])")


@cache
def _after_number(kb: KnowledgeBase) -> re.Pattern[str]:
    """Words that make a number something other than an age ("45 kg", "3 days", "5 times")."""
    words = ["kg", "%", "°", "/"]
    for lex in kb.lexicons.values():
        words += [*lex.time_units, *lex.counters, *lex.temperature_units, *lex.age_units]
    return re.compile(rf"\s*(?:{'|'.join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))})")


@cache
def _pregnancy(kb: KnowledgeBase) -> re.Pattern[str]:
    ko = kb.lexicons.get(Lang.KO)
    return word_pattern([w for lex in kb.lexicons.values() for w in lex.pregnancy],
                        [*(ko.particles if ko else []), "인데", "중", "중인", "한", "했"])


@cache
def _words(kb: KnowledgeBase) -> tuple[_Word, ...]:
    ko = kb.lexicons.get(Lang.KO)
    particles = [*(ko.particles if ko else []), "께서", "의", "한테", "네", "님", "인데", "이에요",
                 "예요", "입니다", "이고", "이신데", "인데요", "이"]
    out = []
    for lex in kb.lexicons.values():
        for pw in lex.persons:
            out.append(_Word(word_pattern(pw.words, particles if lex.lang is Lang.KO else []),
                             pw.sex, pw.group, pw.weak))
    return tuple(out)


def _group_of(months: int) -> AgeGroup:
    if months < 1:
        return AgeGroup.NEWBORN
    if months < 12:
        return AgeGroup.BABY
    if months < 18 * 12:
        return AgeGroup.CHILD
    return AgeGroup.ADULT if months < 65 * 12 else AgeGroup.ELDER


def person_hint(kb: KnowledgeBase, text: str, quantities: list[Quantity]
                ) -> tuple[PersonHint, list[tuple[int, int]], list[Quantity]]:
    """The hint, the character spans it used (so they are not reported as not understood)
    and the quantities it used (how far along a pregnancy is, not how long an illness)."""
    hits: list[tuple[int, int, _Word]] = []
    for w in _words(kb):
        hits.extend((m.start(), m.end(), w) for m in w.pattern.finditer(text))
    # Strong words first, then in the order they are said.
    hits.sort(key=lambda h: (h[2].weak, h[0], -(h[1] - h[0])))
    pregnancy = list(_pregnancy(kb).finditer(text))
    along: list[Quantity] = []
    for p in pregnancy:  # the one duration nearest to each pregnancy word says how far along
        near = [q for q in quantities if q.kind in (Kind.DURATION, Kind.AGE) and q not in along
                and min(abs(q.start - p.end()), abs(p.start() - q.end)) <= _NEAR_PREGNANCY]
        if near:
            along.append(min(near, key=lambda q: min(abs(q.start - p.end()), abs(p.start() - q.end))))
    weeks = None
    if along:
        q = along[0]
        weeks = round(q.value / 7 if q.kind is Kind.DURATION else q.value * 30.4 / 7)
    ages = [q for q in quantities if q.kind is Kind.AGE and q not in along]
    sex = next((w.sex for _, _, w in hits if w.sex is not None), None)
    if pregnancy and sex is None:
        sex = Sex.FEMALE
    group = next((w.group for _, _, w in hits if w.group is not None), None)
    spans = [(s, e) for s, e, w in hits if not w.weak] + [(p.start(), p.end()) for p in pregnancy]
    months = round(ages[0].value) if ages else None
    if months is None:
        # "child 3 yrs", "아들 3살": a length of time right after the person word is the age.
        for _, end, w in hits:
            after = [q for q in quantities if q.kind is Kind.DURATION and q not in along
                     and 0 <= q.start - end <= 3 and q.value >= 28 and not w.weak]
            if after:
                months = round(after[0].value / 30.4)
                along.append(after[0])
                break
    if months is None:
        for _, end, _w in hits:
            m = _AGE_AFTER.match(text, end)
            if (m is not None and 0 < int(m.group(1)) <= 120
                    and not _after_number(kb).match(text, m.end())):
                months = int(m.group(1)) * 12
                spans.append((m.start(1), m.end(1)))
                break
    if months is not None:
        group = _group_of(months)
    spans += [(q.start, q.end) for q in [*ages, *along]]
    words = tuple(text[s:e] for s, e in sorted(spans))
    return PersonHint(sex, months, group, words, bool(pregnancy), weeks), spans, along

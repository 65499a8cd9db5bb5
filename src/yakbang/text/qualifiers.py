"""What is said about a finding: for how long, how many times, how hot, how it began, how
bad, where; and the findings that numbers imply ("fever for 10 days" is fever for 7 days
or more; "39.5" is a high fever; "fever for 3 days" is not fever for 7 days).

A duration belongs to the findings of its own clause ("cough and fever for 3 days": both);
in a clause with no finding ("fever and cough, for three days") to those of the clause before.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from yakbang.kb.loader import KnowledgeBase
from yakbang.text.person import word_pattern
from yakbang.text.quantities import Kind, Quantity
from yakbang.types import Lang

if TYPE_CHECKING:
    from yakbang.text.matcher import Mention

NEAR = 16  # characters between a word like "suddenly" or "chest" and the finding it qualifies


@dataclass(frozen=True)
class Qualifiers:
    days: float | None = None
    celsius: float | None = None
    times: float | None = None
    per_day: bool = False
    onset: str | None = None
    severity: str | None = None
    sites: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {k: v for k, v in self.__dict__.items()
                                  if v not in (None, (), False)}
        if "sites" in out:
            out["sites"] = list(self.sites)
        return out


@dataclass(frozen=True, eq=False)
class _Words:
    onset: tuple[tuple[str, re.Pattern[str]], ...]
    severity: tuple[tuple[str, re.Pattern[str]], ...]
    sites: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _words(kb: KnowledgeBase) -> _Words:
    ko = kb.lexicons.get(Lang.KO)
    particles = list(ko.particles) if ko else []

    def table(attr: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        merged: dict[str, list[str]] = {}
        for lex in kb.lexicons.values():
            for key, words in getattr(lex, attr).items():
                merged.setdefault(key, []).extend(words)
        return tuple((k, word_pattern(v, particles)) for k, v in merged.items())

    return _Words(table("onset"), table("severity"), table("body_parts"))


def _clause_of(cuts: list[int], pos: int) -> int:
    return bisect.bisect_left(cuts, pos)


def attach(kb: KnowledgeBase, text: str, mentions: list[Mention], quantities: list[Quantity],
           cuts: list[int], sentence_cuts: list[int]) -> list[Mention]:
    """The mentions with what the text says about each."""
    if not mentions:
        return mentions
    quals = [Qualifiers() for _ in mentions]
    clause = [_clause_of(cuts, m.start) for m in mentions]
    sentence = [_clause_of(sentence_cuts, m.start) for m in mentions]
    for q in quantities:
        if q.kind in (Kind.AGE, Kind.BLOOD_PRESSURE, Kind.INTERVAL, Kind.AMOUNT):
            continue
        qc, qs = _clause_of(cuts, q.start), _clause_of(sentence_cuts, q.start)
        targets = [i for i, c in enumerate(clause) if c == qc and mentions[i].present
                   and _nearest_quantity(mentions[i], quantities, q.kind, cuts) is q]
        if not targets and q.kind is not Kind.TEMPERATURE:
            # "fever and cough, for three days"; "설사를 쏟아요. 하루에 열 번 넘게요": a number
            # said on its own goes to the findings said just before it, in the same sentence or,
            # when its sentence names none, the sentence before.
            alone = not any(sentence[i] == qs for i in range(len(mentions)))
            earlier = [c for i, c in enumerate(clause) if c < qc and mentions[i].present
                       and (sentence[i] == qs or (alone and sentence[i] == qs - 1))]
            targets = [i for i, c in enumerate(clause) if earlier and c == max(earlier)
                       and mentions[i].present]
        if q.kind is Kind.COUNT and targets:  # a count is about the nearest finding only
            targets = [min(targets, key=lambda i: _distance(mentions[i], q.start, q.end))]
        for i in targets:
            quals[i] = _with_quantity(quals[i], q)
    words = _words(kb)
    for key, pattern in words.onset:
        for j in _near_mentions(pattern, text, mentions, clause, cuts):
            if quals[j].onset is None:
                quals[j] = replace(quals[j], onset=key)
    for key, pattern in words.severity:
        for j in _near_mentions(pattern, text, mentions, clause, cuts):
            if quals[j].severity is None:
                quals[j] = replace(quals[j], severity=key)
    for key, pattern in words.sites:
        for j in _near_mentions(pattern, text, mentions, clause, cuts):
            if key not in quals[j].sites:
                quals[j] = replace(quals[j], sites=(*quals[j].sites, key))
    return [replace(m, qualifiers=q) for m, q in zip(mentions, quals, strict=True)]


def _near_mentions(pattern: re.Pattern[str], text: str, mentions: list[Mention], clause: list[int],
                   cuts: list[int]) -> list[int]:
    """For each occurrence of a qualifying word, the nearest finding in its clause."""
    out = []
    for m in pattern.finditer(text):
        i = _nearest(mentions, clause, _clause_of(cuts, m.start()), m.start(), m.end())
        if i is not None:
            out.append(i)
    return out


def _nearest_quantity(m: Mention, quantities: list[Quantity], kind: Kind,
                      cuts: list[int]) -> Quantity | None:
    """The quantity of this kind nearest to the mention in its clause; on a tie the one
    after it ("cough for 3 weeks and fever for 2 days": fever is 2 days)."""
    c = _clause_of(cuts, m.start)
    same = [q for q in quantities if q.kind is kind and _clause_of(cuts, q.start) == c]
    return min(same, key=lambda q: (_distance(m, q.start, q.end), q.start < m.start), default=None)


def _with_quantity(q: Qualifiers, quantity: Quantity) -> Qualifiers:
    if quantity.kind is Kind.DURATION:
        return replace(q, days=max(q.days or 0.0, quantity.value))
    if quantity.kind is Kind.TEMPERATURE:
        return replace(q, celsius=max(q.celsius or 0.0, quantity.value))
    return replace(q, times=max(q.times or 0.0, quantity.value), per_day=q.per_day or quantity.per_day)


def _distance(m: Mention, start: int, end: int) -> int:
    if end <= m.start:
        return m.start - end
    return 0 if start < m.end else start - m.end


def _nearest(mentions: list[Mention], clause: list[int], c: int, start: int, end: int) -> int | None:
    near = [i for i, mc in enumerate(clause) if mc == c and _distance(mentions[i], start, end) <= NEAR]
    return min(near, key=lambda i: _distance(mentions[i], start, end)) if near else None


def derive(kb: KnowledgeBase, mentions: list[Mention], quantities: list[Quantity],
           pregnancy: tuple[int, int, int] | None = None) -> list[Mention]:
    """Findings that the numbers said imply, added to (or correcting) what the words said.

    Weeks of pregnancy said decide findings such as term pregnancy. A stated duration
    decides duration findings ("fever for 3 days" over a vague "fever
    that goes on"), except that a danger sign said in words is never made absent. A
    temperature reading adds fever and high fever; it makes fever absent only when the
    words said nothing about fever (a fever the family felt still counts, as in IMCI).
    """
    from yakbang.text.matcher import Mention

    said = {m.finding_id for m in mentions if not m.derived}
    out = list(mentions)
    readings = [q for q in quantities if q.kind is Kind.TEMPERATURE]
    hottest = max(readings, key=lambda q: q.value) if readings else None
    measured = sorted((f for f in kb.findings.values() if f.measure is not None),
                      key=lambda f: (_depth(kb, f.id), f.id))  # a parent before its children
    for f in measured:
        measure = f.measure
        if measure is None:
            continue
        if measure.celsius_at_least is not None:
            if hottest is None:
                continue
            present = hottest.value >= measure.celsius_at_least
            if present and any(m.finding_id == f.id and m.present for m in mentions):
                continue
            if present or (f.id not in said and not f.danger and not _measured_parent(kb, f.id)):
                out.append(Mention(f.id, present, f"{hottest.value:g} °C", hottest.start,
                                   hottest.end, derived=True))
            continue
        if measure.by_blood_pressure:
            readings_bp = [q for q in quantities if q.kind is Kind.BLOOD_PRESSURE]
            if readings_bp and f.id not in said:
                q = max(readings_bp, key=lambda r: r.value)
                high = any((measure.systolic_at_least is not None and r.value >= measure.systolic_at_least)
                           or (measure.diastolic_at_least is not None and r.diastolic is not None
                               and r.diastolic >= measure.diastolic_at_least) for r in readings_bp)
                out.append(Mention(f.id, high, f"{q.value:g}/{q.diastolic or 0:g}", q.start, q.end,
                                   derived=True))
            continue
        if measure.pregnancy_weeks_at_least is not None:
            # (weeks, start, end) of "임신 9개월": term or not, unless said in words.
            if pregnancy is not None and f.id not in said:
                weeks, start, end = pregnancy
                out.append(Mention(f.id, weeks >= measure.pregnancy_weeks_at_least,
                                   f"{weeks}w", start, end, derived=True))
            continue
        if measure.onset is not None or measure.severity is not None:
            fits = [m for m in mentions if m.present and _is_or_under(kb, m.finding_id, measure.of)
                    and (measure.onset is None or m.qualifiers.onset == measure.onset)
                    and (measure.severity is None or m.qualifiers.severity == measure.severity)]
            if fits and not any(m.finding_id == f.id and m.present for m in out):
                m = fits[0]
                out.append(Mention(f.id, True, m.text, m.start, m.end, derived=True,
                                   qualifiers=m.qualifiers))
            continue  # how it was said only ever adds a finding
        if measure.times_at_least is not None:
            often = [m for m in mentions if m.present and m.qualifiers.times is not None
                     and m.qualifiers.times >= measure.times_at_least
                     and _is_or_under(kb, m.finding_id, measure.of)]
            if often and not any(m.finding_id == f.id and m.present for m in out):
                m = often[0]
                out.append(Mention(f.id, True, m.text, m.start, m.end, derived=True,
                                   qualifiers=Qualifiers(times=m.qualifiers.times,
                                                         per_day=m.qualifiers.per_day)))
            continue  # fewer times now may be more by tonight: never made absent
        lasted = [m for m in mentions if m.present and m.qualifiers.days is not None
                  and _is_or_under(kb, m.finding_id, measure.of)]
        if not lasted:
            continue
        longest = max(lasted, key=lambda m: m.qualifiers.days or 0.0)
        days = longest.qualifiers.days or 0.0
        present = days >= (measure.days_at_least or 0.0)
        if (not present and f.danger and f.id in said) or any(
                m.finding_id == f.id and m.present == present for m in out):
            continue
        out = [m for m in out if m.finding_id != f.id]
        if not present and _measured_parent(kb, f.id) and not any(
                m.present and m.finding_id == f.parent for m in out):
            continue  # "fever for 3 days": not 7 days, so not a month either; say it once
        if measure.of is not None and not any(m.present and _is_or_under(kb, m.finding_id, measure.of)
                                              and m.finding_id != f.id for m in out):
            # "열이 계속 ... 사흘째": the words meant fever, the number says not a week of it
            out.append(Mention(measure.of, True, longest.text, longest.start, longest.end,
                               derived=True, qualifiers=Qualifiers(days=days)))
        out.append(Mention(f.id, present, longest.text, longest.start, longest.end, derived=True,
                           qualifiers=Qualifiers(days=days)))
    return sorted(out, key=lambda m: (m.start, m.derived))


def _depth(kb: KnowledgeBase, finding_id: str) -> int:
    parent = kb.findings[finding_id].parent
    return 0 if parent is None else 1 + _depth(kb, parent)


def _measured_parent(kb: KnowledgeBase, finding_id: str) -> bool:
    """Whether the finding's parent is measured the same way (fever_over_month under
    fever_7_days): its absence then already says this one is absent."""
    f = kb.findings[finding_id]
    if f.parent is None or f.measure is None:
        return False
    pm = kb.findings[f.parent].measure
    return pm is not None and (pm.celsius_at_least is None) == (f.measure.celsius_at_least is None) \
        and pm.of == f.measure.of


def _is_or_under(kb: KnowledgeBase, finding_id: str, ancestor: str | None) -> bool:
    node: str | None = finding_id
    while node is not None:
        if node == ancestor:
            return True
        node = kb.findings[node].parent
    return False

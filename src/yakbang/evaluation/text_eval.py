"""How well the free-text reader understands phrases: precision, recall, negation accuracy.

A phrase file is a JSON list of {"id", "lang", "text", "present": [ids], "absent": [ids]}
with optional "days" {finding: days}, "celsius", "person" {"sex", "age_years", "group"},
"today" (for "since Monday") and "tags".

Expected and read findings are compared in one canonical form, so that the same meaning
written two ways scores the same: a finding present implies its parents ("watery diarrhoea"
is diarrhoea) and the duration findings it reaches ("cough for 3 weeks" is cough for 2 weeks
or more); a finding absent implies everything that would imply it is absent too. Each side
keeps only its most specific present findings and its most general absent ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yakbang.errors import UserError, VignetteFileError
from yakbang.evaluation.vignettes import read_items
from yakbang.kb.loader import KnowledgeBase
from yakbang.text import Understanding, understand

DAYS_TOLERANCE = 0.15  # a duration read within 15 % (or half a day) of the expected one
Pair = tuple[str, bool]  # finding id, present


class PersonExpected(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sex: Literal["female", "male"] | None = None
    age_years: Annotated[float, Field(ge=0, le=120)] | None = None
    group: Literal["newborn", "baby", "child", "adult", "elder"] | None = None


class Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1)]
    lang: Literal["en", "ko"]
    text: Annotated[str, Field(min_length=1)]
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    days: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    celsius: Annotated[float, Field(ge=30, le=45)] | None = None
    person: PersonExpected | None = None
    today: date | None = None
    tags: list[str] = Field(default_factory=list)


def load_phrases(kb: KnowledgeBase, paths: Iterable[Path]) -> list[Phrase]:
    out: list[Phrase] = []
    seen: set[str] = set()
    for path in paths:
        for p in read_items(path, Phrase, "phrase"):
            unknown = [f for f in [*p.present, *p.absent, *p.days] if f not in kb.findings]
            if unknown:
                raise VignetteFileError(f"{path}: phrase {p.id}: unknown finding {unknown[0]!r}")
            if p.id in seen:
                raise VignetteFileError(f"{path}: phrase id {p.id!r} is also used in another file")
            seen.add(p.id)
            out.append(p)
    return out


@cache
def _implies(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """For each finding, every finding its presence implies (itself excluded)."""
    direct: dict[str, set[str]] = {fid: set() for fid in kb.findings}
    for finding in kb.findings.values():
        if finding.parent is not None:
            direct[finding.id].add(finding.parent)
        m = finding.measure
        if m is not None and m.of is not None and m.days_at_least is not None:
            direct[finding.id].add(m.of)
            for other in kb.findings.values():
                om = other.measure
                if (om is not None and om.of == m.of and om.days_at_least is not None
                        and om.days_at_least < m.days_at_least):
                    direct[finding.id].add(other.id)
    out: dict[str, frozenset[str]] = {}
    for fid in kb.findings:
        seen: set[str] = set()
        stack = list(direct[fid])
        while stack:
            g = stack.pop()
            if g not in seen:
                seen.add(g)
                stack.extend(direct[g])
        out[fid] = frozenset(seen)
    return out


def canonical(kb: KnowledgeBase, present: Iterable[str], absent: Iterable[str]) -> set[Pair]:
    imp = _implies(kb)
    yes = set(present)
    yes |= {g for f in list(yes) for g in imp[f]}
    no = {f for f in absent if f not in yes}
    no |= {g for g in kb.findings if imp[g] & no and g not in yes}
    yes_min = {f for f in yes if not any(f in imp[g] for g in yes if g != f)}
    no_min = {f for f in no if not (imp[f] & no)}
    return {(f, True) for f in yes_min} | {(f, False) for f in no_min}


@dataclass
class PhraseResult:
    phrase: Phrase
    expected: set[Pair]
    read: set[Pair]
    understood: Understanding

    @property
    def hits(self) -> set[Pair]:
        return self.expected & self.read


@dataclass
class Scores:
    phrases: int = 0
    precision: float = 0.0
    recall: float = 0.0
    negation_accuracy: float = 0.0  # of expected findings read at all, right polarity
    absent_recall: float = 0.0  # of expected absent findings, read as absent
    exact: float = 0.0  # phrases read exactly right
    days_accuracy: float | None = None
    celsius_accuracy: float | None = None
    person_accuracy: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


def read_phrase(kb: KnowledgeBase, p: Phrase) -> PhraseResult:
    u = understand(kb, p.text, p.today)
    present = u.present
    return PhraseResult(p, canonical(kb, p.present, p.absent), canonical(kb, present, u.absent), u)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _days_right(kb: KnowledgeBase, r: PhraseResult) -> tuple[int, int]:
    imp = _implies(kb)
    good = 0
    for fid, days in r.phrase.days.items():
        said = [m.qualifiers.days for m in r.understood.mentions if m.qualifiers.days is not None
                and (m.finding_id == fid or fid in imp[m.finding_id] or m.finding_id in imp[fid])]
        if any(abs(d - days) <= max(0.5, DAYS_TOLERANCE * days) for d in said if d is not None):
            good += 1
    return good, len(r.phrase.days)


def _person_right(r: PhraseResult) -> tuple[int, int]:
    exp, got = r.phrase.person, r.understood.person
    if exp is None:
        return 0, 0
    checks = []
    if exp.sex is not None:
        checks.append(got.sex is not None and got.sex.value == exp.sex)
    if exp.age_years is not None:
        checks.append(got.age_months is not None
                      and abs(got.age_months - exp.age_years * 12) <= max(1.0, 0.05 * exp.age_years * 12))
    if exp.group is not None:
        # A newborn is a baby too (phrase files may say either).
        checks.append(got.group is not None and exp.group in {got.group.value} | (
            {"baby"} if got.group.value == "newborn" else set()))
    return sum(checks), len(checks)


def score(kb: KnowledgeBase, results: list[PhraseResult]) -> Scores:
    expected = sum(len(r.expected) for r in results)
    read = sum(len(r.read) for r in results)
    hits = sum(len(r.hits) for r in results)
    seen = [(pair, r) for r in results for pair in r.expected
            if (pair[0], not pair[1]) in r.read or pair in r.read]
    absent = [(pair, r) for r in results for pair in r.expected if not pair[1]]
    days = [_days_right(kb, r) for r in results]
    temps = [(r.phrase.celsius, [q.value for q in r.understood.quantities if q.kind == "temperature"])
             for r in results if r.phrase.celsius is not None]
    persons = [_person_right(r) for r in results]
    return Scores(
        phrases=len(results),
        precision=_ratio(hits, read),
        recall=_ratio(hits, expected),
        negation_accuracy=_ratio(sum(pair in r.read for pair, r in seen), len(seen)),
        absent_recall=_ratio(sum(pair in r.read for pair, r in absent), len(absent)),
        exact=_ratio(sum(r.expected == r.read for r in results), len(results)),
        days_accuracy=_ratio(sum(g for g, _ in days), sum(n for _, n in days))
        if any(n for _, n in days) else None,
        celsius_accuracy=_ratio(sum(any(abs(v - c) <= 0.2 for v in vals) for c, vals in temps if c),
                                len(temps)) if temps else None,
        person_accuracy=_ratio(sum(g for g, _ in persons), sum(n for _, n in persons))
        if any(n for _, n in persons) else None,
        counts={"expected": expected, "read": read, "right": hits, "absent_expected": len(absent)},
    )


def evaluate_phrases(kb: KnowledgeBase,
                     phrases: list[Phrase]) -> tuple[list[PhraseResult], dict[str, Scores]]:
    """Every phrase read, and scores overall, by language and by tag."""
    if not phrases:
        raise UserError("no phrases to evaluate")
    results = [read_phrase(kb, p) for p in phrases]
    groups: dict[str, list[PhraseResult]] = defaultdict(list)
    for r in results:
        groups["all"].append(r)
        groups[f"lang:{r.phrase.lang}"].append(r)
        for tag in r.phrase.tags:
            groups[f"tag:{tag}"].append(r)
    return results, {name: score(kb, rs) for name, rs in sorted(groups.items())}

"""Numbers in a description: how long, how many times, how hot, how old.

"for three days", "2 wks", "사흘째", "이틀 전부터", "since Monday" (counted from today) are
durations in days; "five times a day", "열 번 넘게" counts (per day when said so); "39.5",
"103 F", "38도" temperatures in degrees Celsius; "3-year-old", "세 살", "70대" ages in months.
Every word list (number words, units, weekdays, ...) comes from the knowledge base lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import Lexicon
from yakbang.types import Lang

_NUMBER = r"\d+(?:[.,]\d+)?"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_NOT_LATIN_AFTER = r"(?![a-z])"
_NOT_LATIN_BEFORE = r"(?<![a-z])"
_NOT_HANGUL_BEFORE = r"(?<![\uac00-\ud7a3])"
_WITHIN = 14  # characters around a count where "a day" / "하루에" makes it per day
TEMPERATURE_RANGE = (30.0, 45.0)  # readings outside are not temperatures of a person


class Kind(StrEnum):
    DURATION = "duration"
    COUNT = "count"
    TEMPERATURE = "temperature"
    AGE = "age"
    BLOOD_PRESSURE = "blood_pressure"
    INTERVAL = "interval"  # "every 10 minutes": how often, in days
    AMOUNT = "amount"  # "열 명", "두 알": a number of things


@dataclass(frozen=True)
class Quantity:
    kind: Kind
    value: float  # days, times, degrees Celsius, months or systolic mmHg
    start: int
    end: int
    per_day: bool = False
    # Where a Korean number word that starts the quantity ends ("열" in "열 시간"), else start.
    number_end: int = -1
    diastolic: float | None = None  # the second number of a blood pressure

    def __post_init__(self) -> None:
        if self.number_end < 0:
            object.__setattr__(self, "number_end", self.start)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or r"(?!)"


@dataclass(frozen=True, eq=False)
class _Patterns:
    numbers: dict[str, float]
    glued: dict[str, float]
    units: dict[str, float]
    day_words: dict[str, float]
    days_ago: dict[str, float]
    weekdays: dict[str, int]
    times: dict[str, float]
    age_units: dict[str, float]
    fahrenheit: frozenset[str]
    temperature: re.Pattern[str]
    decimal_temperature: re.Pattern[str]
    cued_temperature: re.Pattern[str]
    blood_pressure: re.Pattern[str]
    cued_blood_pressure: re.Pattern[str]
    age: re.Pattern[str]
    aged: re.Pattern[str]
    age_word: re.Pattern[str]
    age_before: re.Pattern[str]
    age_words: dict[str, float]
    count: re.Pattern[str]
    amount: re.Pattern[str]
    times_word: re.Pattern[str]
    per_day: re.Pattern[str]
    duration: re.Pattern[str]
    glued_duration: re.Pattern[str]
    day_word: re.Pattern[str]
    ago_word: re.Pattern[str]
    every_before: re.Pattern[str]
    every_after: re.Pattern[str]
    weekday: re.Pattern[str]


def _merged(kb: KnowledgeBase, attr: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for lang in Lang:
        lex = kb.lexicons.get(lang) or Lexicon(lang=lang)
        out.update({k.lower(): v for k, v in getattr(lex, attr).items()})
    return out


def _words(kb: KnowledgeBase, attr: str) -> list[str]:
    return [w.lower() for lang in Lang for w in getattr(kb.lexicons.get(lang) or Lexicon(lang=lang), attr)]


def _bounded(words: str) -> str:
    """A group of words that does not start or end inside a Latin or Hangul word."""
    return rf"(?<![a-z\uac00-\ud7a3])(?:{words})"


@cache
def _patterns(kb: KnowledgeBase) -> _Patterns:
    numbers = _merged(kb, "numbers")
    latin = [w for w in numbers if not _HANGUL.search(w)]
    hangul = [w for w in numbers if _HANGUL.search(w)]
    # A number word in English needs a space or hyphen before its unit ("an d" is not "and");
    # Korean glues them ("한달", "세번").
    num = rf"(?:{_NUMBER}|{_bounded(_alt(latin))}(?=[\s-])|{_bounded(_alt(hangul))})"
    units = _merged(kb, "time_units")
    unit_alt = _alt(list(units))
    temp_units = _words(kb, "temperature_units")
    age_units = _merged(kb, "age_units")
    times = _merged(kb, "times")
    glued = _merged(kb, "numbers_glued")
    return _Patterns(
        numbers=numbers, glued=glued, units=units, day_words=_merged(kb, "day_words"),
        days_ago=_merged(kb, "days_ago"),
        weekdays={k: int(v) for k, v in _merged(kb, "weekdays").items()},
        times=times, age_units=age_units, age_words=_merged(kb, "age_words"),
        fahrenheit=frozenset(_words(kb, "fahrenheit")),
        temperature=re.compile(rf"(?<![\d.])(\d{{2,3}}(?:[.,]\d)?)\s*({_alt(temp_units)}){_NOT_LATIN_AFTER}"),
        decimal_temperature=re.compile(r"(?<![\d.,])((?:3[4-9]|4[0-3])[.,]\d)(?![\d])"),
        cued_temperature=re.compile(
            rf"{_bounded(_alt(_words(kb, 'temperature_cues')))}[\s:]*(?:of|is|was|at|around|about|"
            rf"이|가|은|는|이가)?\s*(\d{{2,3}})(?![\d.,])"),
        blood_pressure=re.compile(r"(?<![\d./])(\d{2,3})\s*/\s*(\d{2,3})(?![\d./])"),
        cued_blood_pressure=re.compile(
            rf"{_bounded(_alt(_words(kb, 'blood_pressure_cues')))}[^\d]{{0,12}}?(\d{{2,3}})\s*"
            r"(?:/|over|에|이랑|-)\s*(\d{2,3})(?![\d.])"),
        age=re.compile(rf"({num})\s*-?\s*({_alt(list(age_units))}){_NOT_LATIN_AFTER}"),
        aged=re.compile(rf"{_bounded(_alt(_words(kb, 'age_before')))}\s*(\d{{1,3}}){_NOT_LATIN_AFTER}"
                        rf"(?!\s*(?:{unit_alt}))"),  # "age 3 days" is not 3 years
        age_word=re.compile(_bounded(f"({_alt(list(_merged(kb, 'age_words')))})")),
        age_before=re.compile(rf"{_bounded(_alt(_words(kb, 'age_before')))}\s*$"),
        count=re.compile(rf"({num})\s*({_alt(_words(kb, 'counters'))}){_NOT_LATIN_AFTER}"),
        # A counting word ends its word or takes a particle: "열 명이", not "두근거려요".
        amount=re.compile(rf"({num})\s*({_alt(_words(kb, 'classifiers'))}){_NOT_LATIN_AFTER}"
                          rf"(?![\uac00-\ud7a3])|({num})\s*({_alt(_words(kb, 'classifiers'))})"
                          rf"(?=(?:{_alt(_words(kb, 'particles'))})(?![\uac00-\ud7a3]))"),
        times_word=re.compile(_bounded(f"({_alt(list(times))})") + _NOT_LATIN_AFTER),
        per_day=re.compile(_bounded(_alt(_words(kb, "per_day")))),
        duration=re.compile(rf"({num})\s*-?\s*({unit_alt}){_NOT_LATIN_AFTER}"),
        glued_duration=re.compile(rf"{_NOT_HANGUL_BEFORE}({_alt(list(glued))})({unit_alt})"),
        day_word=re.compile(_bounded(f"({_alt(list(_merged(kb, 'day_words')))})") + _NOT_LATIN_AFTER),
        every_before=re.compile(rf"(?:{_alt(_words(kb, 'every_before'))})\s*$"),
        every_after=re.compile(rf"\s*(?:{_alt(_words(kb, 'every_after'))})"),
        ago_word=re.compile(_bounded(f"({_alt(list(_merged(kb, 'days_ago')))})") + _NOT_LATIN_AFTER),
        weekday=re.compile(_bounded(f"({_alt(list(_merged(kb, 'weekdays')))})") + _NOT_LATIN_AFTER),
    )


def _number(p: _Patterns, word: str) -> float | None:
    word = word.strip()
    if word in p.numbers:
        return p.numbers[word]
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _celsius(value: float, unit: str, p: _Patterns) -> float | None:
    if unit in p.fahrenheit or (unit and value >= 90):
        value = (value - 32) * 5 / 9
    value = round(value, 1)
    return value if TEMPERATURE_RANGE[0] <= value <= TEMPERATURE_RANGE[1] else None


def find_quantities(kb: KnowledgeBase, text: str, today: date | None = None) -> list[Quantity]:
    """Every quantity in `text` (already lower case), in order, none overlapping another."""
    p = _patterns(kb)
    taken = [False] * (len(text) + 1)
    out: list[Quantity] = []

    def add(kind: Kind, value: float | None, start: int, end: int, per_day: bool = False,
            number_end: int = -1) -> None:
        if value is None or any(taken[start:end]):
            return
        out.append(Quantity(kind, value, start, end, per_day, number_end))
        for i in range(start, end):
            taken[i] = True

    # Most specific first: "3-year-old" is an age, not three years of illness.
    for m in [*p.cued_blood_pressure.finditer(text), *p.blood_pressure.finditer(text)]:
        high, low = float(m.group(1)), float(m.group(2))
        start = m.start(1)  # the numbers only: the cue may belong to a finding ("high blood pressure")
        if 60 <= high <= 300 and 30 <= low <= 200 and high > low and not any(taken[start:m.end()]):
            out.append(Quantity(Kind.BLOOD_PRESSURE, high, start, m.end(), diastolic=low))
            for i in range(start, m.end()):
                taken[i] = True
    for m in p.temperature.finditer(text):
        add(Kind.TEMPERATURE, _celsius(float(m.group(1).replace(",", ".")), m.group(2), p),
            m.start(), m.end())
    for m in p.decimal_temperature.finditer(text):
        add(Kind.TEMPERATURE, _celsius(float(m.group(1).replace(",", ".")), "", p), m.start(), m.end())
    for m in p.cued_temperature.finditer(text):
        value = float(m.group(1))
        add(Kind.TEMPERATURE, _celsius(value, "f" if value >= 90 else "", p), m.start(1), m.end(1))
    for m in p.age.finditer(text):
        n = _number(p, m.group(1))
        add(Kind.AGE, None if n is None else n * p.age_units[m.group(2)], m.start(), m.end())
    for m in p.aged.finditer(text):
        add(Kind.AGE, float(m.group(1)) * 12, m.start(), m.end())
    for m in p.age_word.finditer(text):
        add(Kind.AGE, p.age_words[m.group(1)], m.start(), m.end())
    for m in p.count.finditer(text):
        start, end, per_day = _with_per_day(p, text, m.start(), m.end())
        add(Kind.COUNT, _number(p, m.group(1)), start, end, per_day)
    for m in p.times_word.finditer(text):
        start, end, per_day = _with_per_day(p, text, m.start(), m.end())
        add(Kind.COUNT, p.times[m.group(1)], start, end, per_day)
    for m in p.duration.finditer(text):
        n = _number(p, m.group(1))
        every = p.every_before.search(text, 0, m.start()) or p.every_after.match(text, m.end())
        add(Kind.INTERVAL if every else Kind.DURATION, None if n is None else n * p.units[m.group(2)],
            m.start(), m.end(), number_end=m.end(1) if _HANGUL.search(m.group(1)) else -1)
    for m in p.day_word.finditer(text):
        every = p.every_before.search(text, 0, m.start()) or p.every_after.match(text, m.end())
        # A word that is a number of days ("열흘", "사흘") is never part of a finding.
        add(Kind.INTERVAL if every else Kind.DURATION, p.day_words[m.group(1)], m.start(), m.end(),
            number_end=m.end() if _HANGUL.search(m.group(1)) else -1)
    for m in p.amount.finditer(text):  # after durations: "개월" and "시간" are not 개 and 시
        number = m.group(1) or m.group(3)
        add(Kind.AMOUNT, _number(p, number), m.start(), m.end(),
            number_end=m.start() + len(number) if _HANGUL.search(number) else -1)
    for m in p.glued_duration.finditer(text):
        add(Kind.DURATION, p.glued[m.group(1)] * p.units[m.group(2)], m.start(), m.end())
    for m in p.ago_word.finditer(text):
        add(Kind.DURATION, p.days_ago[m.group(1)], m.start(), m.end())
    if today is not None:
        for m in p.weekday.finditer(text):
            days = (today.weekday() - p.weekdays[m.group(1)]) % 7
            add(Kind.DURATION, float(days or 7), m.start(), m.end())
    out = [Quantity(Kind.AGE, q.value / 30.4, q.start, q.end) if q.kind is Kind.DURATION
           and p.age_before.search(text, 0, q.start) else q for q in out]
    return sorted(out, key=lambda q: q.start)


def _with_per_day(p: _Patterns, text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Widen a count over a neighbouring "a day" / "하루에", which then says per day."""
    best: tuple[int, int] | None = None
    for m in p.per_day.finditer(text, max(0, start - _WITHIN), min(len(text), end + _WITHIN)):
        closer = best is None or abs(m.start() - start) < abs(best[0] - start)
        if (m.end() <= start or m.start() >= end) and closer:
            best = (m.start(), m.end())
    if best is None:
        return start, end, False
    return min(start, best[0]), max(end, best[1]), True

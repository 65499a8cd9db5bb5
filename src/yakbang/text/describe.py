"""What the reader understood, as plain data and plain words, in English or Korean.

"understood: fever (3 days, 39.5 °C), cough; no: vomiting; not understood: 'feels heavy'".
Front ends show this back so the person can correct it; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yakbang.kb.loader import KnowledgeBase
from yakbang.text.matcher import Mention, Understanding
from yakbang.text.qualifiers import Qualifiers
from yakbang.types import Lang

_WORDS = {
    "hours": {Lang.EN: "{n} hours", Lang.KO: "{n}시간"},
    "days": {Lang.EN: "{n} days", Lang.KO: "{n}일"},
    "day": {Lang.EN: "1 day", Lang.KO: "1일"},
    "months": {Lang.EN: "{n} months", Lang.KO: "{n}개월"},
    "celsius": {Lang.EN: "{n} °C", Lang.KO: "{n}도"},
    "times": {Lang.EN: "{n} times", Lang.KO: "{n}번"},
    "times_day": {Lang.EN: "{n} times a day", Lang.KO: "하루 {n}번"},
    "sudden": {Lang.EN: "sudden", Lang.KO: "갑자기"},
    "gradual": {Lang.EN: "gradual", Lang.KO: "서서히"},
    "mild": {Lang.EN: "mild", Lang.KO: "약함"},
    "moderate": {Lang.EN: "moderate", Lang.KO: "중간"},
    "severe": {Lang.EN: "severe", Lang.KO: "심함"},
    "understood": {Lang.EN: "understood", Lang.KO: "알아들은 것"},
    "absent": {Lang.EN: "not present", Lang.KO: "없는 것"},
    "not_understood": {Lang.EN: "not understood", Lang.KO: "알아듣지 못한 말"},
    "guess": {Lang.EN: "read as", Lang.KO: "이렇게 읽음"},
}


def _n(value: float) -> str:
    return f"{round(value, 1):g}"


def _w(key: str, lang: Lang, **values: object) -> str:
    return _WORDS[key][lang].format(**values)


def duration_words(days: float, lang: Lang) -> str:
    if days < 1:
        return _w("hours", lang, n=_n(days * 24))
    if days == 1:
        return _w("day", lang)
    if days >= 60:
        return _w("months", lang, n=_n(days / 30))
    return _w("days", lang, n=_n(days))


def qualifier_words(q: Qualifiers, lang: Lang) -> list[str]:
    out = []
    if q.days is not None:
        out.append(duration_words(q.days, lang))
    if q.celsius is not None:
        out.append(_w("celsius", lang, n=_n(q.celsius)))
    if q.times is not None:
        out.append(_w("times_day" if q.per_day else "times", lang, n=_n(q.times)))
    for value in (q.onset, q.severity):
        if value is not None:
            out.append(_w(value, lang))
    return out


def _merged(mentions: Sequence[Mention], present: bool) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.present == present:
            out.setdefault(m.finding_id, []).append(m)
    return out


def finding_dicts(kb: KnowledgeBase, understood: Sequence[Understanding], lang: Lang) -> list[dict[str, Any]]:
    """One entry per finding read: its name, whether present, the words it was read from,
    whether it was a guess (a typo) or implied by a number, and what was said about it."""
    present = {f for u in understood for f in u.present}
    absent = {f for u in understood for f in u.absent} - present
    out: list[dict[str, Any]] = []
    mentions = [m for u in understood for m in u.mentions]
    for is_present, ids in ((True, present), (False, absent)):
        for fid, ms in _merged(mentions, is_present).items():
            if fid not in ids:
                continue
            q = _combined(ms)
            out.append({
                "id": fid,
                "name": kb.findings[fid].name.get(lang),
                "present": is_present,
                "said": [m.text for m in ms],
                "guess": any(m.fuzzy for m in ms),
                "implied": all(m.derived for m in ms),
                "qualifiers": q.as_dict(),
                "details": qualifier_words(q, lang),
            })
    return out


def _combined(ms: Sequence[Mention]) -> Qualifiers:
    def first(attr: str) -> Any:
        return next((getattr(m.qualifiers, attr) for m in ms if getattr(m.qualifiers, attr)), None)

    days = [m.qualifiers.days for m in ms if m.qualifiers.days is not None]
    temps = [m.qualifiers.celsius for m in ms if m.qualifiers.celsius is not None]
    times = [m.qualifiers.times for m in ms if m.qualifiers.times is not None]
    return Qualifiers(
        days=max(days) if days else None, celsius=max(temps) if temps else None,
        times=max(times) if times else None, per_day=any(m.qualifiers.per_day for m in ms),
        onset=first("onset"), severity=first("severity"),
        sites=tuple(dict.fromkeys(s for m in ms for s in m.qualifiers.sites)),
    )


def summary_line(findings: list[dict[str, Any]], not_understood: Sequence[str], lang: Lang) -> str:
    """"understood: fever (3 days), cough; not present: vomiting; not understood: 'x'"."""
    def item(f: dict[str, Any]) -> str:
        return f"{f['name']} ({', '.join(f['details'])})" if f["details"] else str(f["name"])

    parts = [f"{_w('understood', lang)}: " + (", ".join(item(f) for f in findings if f["present"]) or "-")]
    absent = [item(f) for f in findings if not f["present"]]
    if absent:
        parts.append(f"{_w('absent', lang)}: " + ", ".join(absent))
    if not_understood:
        parts.append(f"{_w('not_understood', lang)}: " + ", ".join(f"'{w}'" for w in not_understood))
    return "; ".join(parts)

"""What is this medicine? A name in any script to products and substances, with strengths.

The query is read in three passes. Strengths, pack sizes and codes come out first
(query.py). The rest is scanned for every known name, longest first; in Chinese, Japanese
and Korean a name may sit inside a longer word (阿莫西林胶囊), in Latin and Cyrillic it must
be a whole word. What is left is sorted into form words, salts, release words and noise; a
word that is none of these is tried as a misspelt or shortened name. The names found are
then put together: the one product or substance that explains every name found wins;
several generic names make a combination (sulfamethoxazole/trimethoprim). Each candidate
carries its reasons and a confidence, and nothing is called identified on a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from yakbang.errors import UserError
from yakbang.identify.catalogue import (
    NameIndex,
    Target,
    fold,
    main_script,
    name_catalogue,
    script_of,
    spaced,
)
from yakbang.identify.query import Quantity, Reading, read_query
from yakbang.kb.catalogue import NotMedicine, Substance
from yakbang.kb.formulary import FormKind, Product
from yakbang.kb.loader import KnowledgeBase

Status = Literal["identified", "possible", "not_medicine", "unknown"]
IDENTIFIED = 0.7
POSSIBLE = 0.4
MAX_QUERY = 300


class BadQuery(UserError):
    pass


@dataclass(frozen=True)
class Part:
    """One active substance of a candidate, with its strength when known."""

    substance: str
    inn: str
    amount: float | None = None
    unit: str = "mg"
    per_ml: float | None = None  # amount is in this many mL (liquids)

    def per_5ml(self) -> float | None:
        if self.amount is None:
            return None
        return self.amount / self.per_ml * 5.0 if self.per_ml else self.amount


@dataclass(frozen=True)
class Reason:
    en: str
    ko: str


@dataclass(frozen=True)
class Candidate:
    kind: Literal["product", "substance", "combination"]
    id: str | None
    name_en: str
    name_ko: str
    parts: tuple[Part, ...]
    other: tuple[str, ...] = ()  # herbal or unknown ingredients, by label
    form: FormKind | None = None
    confidence: float = 0.0
    reasons: tuple[Reason, ...] = ()

    @property
    def substances(self) -> frozenset[str]:
        return frozenset(p.substance for p in self.parts)


@dataclass(frozen=True)
class NameResult:
    query: str
    status: Status
    candidates: tuple[Candidate, ...]
    not_medicine: NotMedicine | None = None
    not_medicine_kind: str | None = None
    quantities: tuple[Quantity, ...] = ()
    unread: tuple[str, ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class _Match:
    key: str
    targets: list[Target]
    how: Literal["exact", "typo", "prefix"]
    score: float
    text: str  # the words of the query it came from


@dataclass
class _Leftovers:
    forms: list[FormKind] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # every leftover word, for variant codes
    not_medicine: list[str] = field(default_factory=list)
    glued: list[str] = field(default_factory=list)  # unknown words joined to a name


@dataclass(frozen=True)
class _Words:
    forms: dict[str, FormKind]
    ignorable: frozenset[str]
    not_medicine: dict[str, str]
    affixes: tuple[str, ...]  # every form/salt/modifier/noise word, longest first
    inflections: tuple[str, ...]


@cache
def _words(kb: KnowledgeBase) -> _Words:
    words = kb.medicine_words
    assert words is not None
    forms = {fold(w): FormKind(kind) for kind, ws in words.forms.items() for w in ws}
    ignorable = frozenset(fold(w) for w in [*words.modifiers, *words.salts, *words.noise,
                                            *words.pack] if fold(w))
    not_med = {fold(w): kind for kind, ws in words.not_medicine.items() for w in ws}
    affixes = tuple(sorted({*forms, *ignorable} - {""}, key=len, reverse=True))
    inflections = tuple(sorted({fold(w) for w in words.inflections}, key=len, reverse=True))
    return _Words(forms, ignorable, not_med, affixes, inflections)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        for c in f:
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def _boundary(text: str, i: int) -> bool:
    """True when position i of the (normalised) text is not inside a Latin or Cyrillic word."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    sa, sb = script_of(a), script_of(b)
    return not (spaced(sa) and sa == sb) and not (a.isdigit() and spaced(sb)) and not (
        b.isdigit() and spaced(sa))


def _scan(index: NameIndex, text: str) -> tuple[list[_Match], list[tuple[str, bool]]]:
    """Every known name in the text, leftmost-longest; and the runs of text left over."""
    folded, where = _folded_with_map(text)
    n = len(folded)
    matches: list[_Match] = []
    covered = [False] * n
    i = 0
    while i < n:
        found = None
        for length in index.lengths:
            if i + length > n:
                continue
            key = folded[i:i + length]
            targets = index.exact.get(key)
            if targets is None:
                continue
            if spaced(main_script(key)) and not (
                    _boundary(text, where[i]) and _boundary(text, where[i + length - 1] + 1)):
                continue
            found = (key, targets, length)
            break
        if found is None:
            i += 1
            continue
        key, targets, length = found
        matches.append(_Match(key, list(targets), "exact", 1.0,
                              text[where[i]:where[i + length - 1] + 1]))
        for j in range(i, i + length):
            covered[j] = True
        i += length
    # Runs left over; "glued" when joined to a name with no space (메틸 in 메틸에페드린).
    runs: list[tuple[str, bool]] = []
    cur = ""
    glued = False
    prev_script = None

    def touches(j: int, k: int) -> bool:
        return 0 <= j < n and 0 <= k < n and covered[k] and where[max(j, k)] == where[min(j, k)] + 1

    for j, ch in enumerate(folded):
        sc = script_of(ch)
        boundary = (j > 0 and where[j] != where[j - 1] + 1) or sc != prev_script
        if covered[j] or ch.isdigit() or sc == "other":
            if cur:
                runs.append((cur, glued or touches(j - 1, j)))
            cur = ""
            prev_script = None
            continue
        if boundary and cur and (spaced(sc) or sc == "hangul" or sc != prev_script):
            runs.append((cur, glued))
            cur = ""
        if not cur:
            glued = touches(j, j - 1)
        cur += ch
        prev_script = sc
    if cur:
        runs.append((cur, glued))
    return matches, runs


def _peel(run: str, words: _Words, left: _Leftovers) -> str:
    """Take form, salt and release words off both ends of a run; return what remains."""
    changed = True
    while run and changed:
        changed = False
        for w in words.affixes:
            if len(w) >= len(run) and run != w:
                continue
            if run.endswith(w) or run.startswith(w):
                if w in words.forms:
                    left.forms.append(words.forms[w])
                left.words.append(w)
                run = run[:-len(w)] if run.endswith(w) else run[len(w):]
                changed = True
                break
    return run


def _form_typo(run: str, words: _Words) -> FormKind | None:
    from rapidfuzz.distance import Levenshtein

    script = main_script(run)
    if len(run) < {"han": 2, "kana": 3, "hangul": 3}.get(script, 5):
        return None
    for w, kind in words.forms.items():
        if len(w) == len(run) and main_script(w) == script and Levenshtein.distance(run, w) <= 1:
            return kind
    return None


def _not_medicine_cue(run: str, words: _Words) -> str | None:
    """The kind of thing a word says it is (饮料 a drink), also inside an unspaced word."""
    if run in words.not_medicine:
        return words.not_medicine[run]
    if not spaced(main_script(run)):
        for w, kind in words.not_medicine.items():
            if len(w) >= 2 and w in run:
                return kind
    return None


_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"})


def _uninflected(index: NameIndex, words: _Words, run: str) -> str | None:
    """A known name with a case or adjective ending (тетрациклиновая -> тетрациклин)."""
    if not spaced(main_script(run)):
        return None
    for ending in words.inflections:
        if run.endswith(ending) and len(run) - len(ending) >= 5 and run[:-len(ending)] in index.exact:
            return run[:-len(ending)]
    return None


def _read_leftovers(index: NameIndex, words: _Words, runs: list[tuple[str, bool]],
                    matches: list[_Match]) -> _Leftovers:
    left = _Leftovers()
    for run, glued in runs:
        cue = _not_medicine_cue(run, words)
        if cue is not None:
            left.not_medicine.append(cue)
            left.words.append(run)
            continue
        rest = _peel(run, words, left)
        if not rest:
            continue
        if rest in words.not_medicine:
            left.not_medicine.append(words.not_medicine[rest])
            continue
        inflected = _uninflected(index, words, rest)
        if inflected is not None:
            matches.append(_Match(inflected, list(index.exact[inflected]), "exact", 0.95, rest))
            continue
        near = index.near(rest, main_script(rest))
        if not near and main_script(rest) == "cyrillic":
            # A brand known in Latin letters written in Cyrillic (Тайленол, Ципролет).
            latin = rest.translate(_CYRILLIC_TO_LATIN)
            if latin in index.exact:
                near = [(latin, 0.68, "typo")]
            else:
                near = [(k, min(score, 0.62), "typo") for k, score, how in index.near(latin, "latin")
                        if how == "typo"]
        if near:
            key, score, how = near[0]
            ties = [k for k, s, _ in near if s >= score - 1e-9]
            targets = [t for k in ties for t in index.exact[k]]
            matches.append(_Match(key, targets, "typo" if how == "typo" else "prefix", score, rest))
            continue
        kind = _form_typo(rest, words)
        if kind is not None:
            left.forms.append(kind)
            continue
        left.words.append(rest)
        left.unknown.append(rest)
        if glued:
            left.glued.append(rest)
    return left


def _sets(kb: KnowledgeBase, t: Target) -> frozenset[str]:
    if t.kind == "product":
        return frozenset(kb.products[t.id].substances)
    if t.kind == "substance":
        return frozenset({t.id})
    return frozenset()


@cache
def _products_by_set(kb: KnowledgeBase) -> dict[frozenset[str], list[str]]:
    out: dict[frozenset[str], list[str]] = {}
    for p in kb.products.values():
        if p.substances and len(p.substances) == len(p.ingredients):
            out.setdefault(frozenset(p.substances), []).append(p.id)
    return out


def identify_name(kb: KnowledgeBase, query: str, index: NameIndex | None = None) -> NameResult:
    """Rank what a name may be; raise BadQuery for an empty or strength-only query.

    `index` replaces the knowledge base's own name index (the benchmark pads it)."""
    if kb.medicine_words is None:
        raise BadQuery("the knowledge base has no identify/words.yaml")
    raw = query.strip()
    if not raw:
        raise BadQuery("the medicine name is empty; type the name on the pack, e.g. 阿莫西林胶囊 0.25g")
    if len(raw) > MAX_QUERY:
        raise BadQuery(f"the name is {len(raw)} characters long; give only the name on the pack "
                       f"(at most {MAX_QUERY})")
    words = _words(kb)
    index = index or name_catalogue(kb)
    reading = read_query(kb.medicine_words, raw, lambda w: fold(w) in index.exact)
    if not any(ch.isalpha() for ch in reading.text) and fold(raw) not in index.exact:  # "654-2" is a name
        if reading.quantities:
            raise BadQuery(f"{raw!r} is only a strength; a strength alone cannot tell which medicine "
                           "it is. Give the name on the pack too.")
        raise BadQuery(f"{raw!r} has no name in it; type the name on the pack")
    matches, runs = _scan(index, reading.text)
    left = _read_leftovers(index, words, runs, matches)
    if left.forms and left.forms[0].category == "topical":
        _weights_are_packs(reading)
    medicine = [m for m in matches if any(t.kind != "not_medicine" for t in m.targets)]
    not_med = [m for m in matches if all(t.kind == "not_medicine" for t in m.targets)]
    unread = tuple(left.unknown)
    if not medicine:
        if not_med:
            nm = kb.not_medicines[not_med[0].targets[0].id]
            return NameResult(raw, "not_medicine", (), nm, nm.kind, tuple(reading.quantities), unread)
        if left.not_medicine:
            return NameResult(raw, "not_medicine", (), None, left.not_medicine[0],
                              tuple(reading.quantities), unread)
        return NameResult(raw, "unknown", (), None, None, tuple(reading.quantities), unread)
    candidates = _candidates(kb, medicine, reading, left)
    best = candidates[0]
    status: Status = ("identified" if best.confidence >= IDENTIFIED
                      else "possible" if best.confidence >= POSSIBLE else "unknown")
    shown = tuple(candidates) if status != "unknown" else ()
    return NameResult(raw, status, shown, None, None, tuple(reading.quantities), unread)


def _weights_are_packs(reading: Reading) -> None:
    """On a cream or ointment "5g" is the tube, not the strength (that is a per cent)."""
    for q in list(reading.quantities):
        if q.unit in ("g", "mg") and q.per_ml is None and len(q.amounts) == 1:
            reading.quantities.remove(q)
            reading.pack.append(q.text)


def _candidates(kb: KnowledgeBase, matches: list[_Match], reading: Reading,
                left: _Leftovers) -> list[Candidate]:
    # A guess (typo, cut-short name) never adds an ingredient to a name found exactly:
    # "Tums Ultra" is Tums, not Tums with tramadol (Ultram).
    exact = [m for m in matches if m.how == "exact"]
    if exact:
        exact_sets = [_sets(kb, t) for m in exact for t in m.targets if t.kind != "not_medicine"]
        kept = []
        for m in matches:
            agrees = m.how == "exact" or any(_sets(kb, t) <= e or e <= _sets(kb, t)
                                             for t in m.targets for e in exact_sets)
            if agrees:
                kept.append(m)
            else:
                left.unknown.append(m.text)
        matches = kept
    # What every name found agrees on: the substances each name is sure to contain.
    named: set[str] = set()
    for m in matches:
        sets = [_sets(kb, t) for t in m.targets if t.kind != "not_medicine"]
        if sets:
            named |= frozenset.intersection(*sets)
    pool: dict[tuple[str, str], tuple[Target, list[_Match]]] = {}
    for m in matches:
        for t in m.targets:
            if t.kind == "not_medicine":
                continue
            entry = pool.setdefault((t.kind, t.id), (t, []))
            entry[1].append(m)
    scored: list[tuple[float, Candidate]] = []
    covering = [(t, ms) for t, ms in pool.values() if _sets(kb, t) >= named]
    if not covering:
        # Several generic names with no product naming them all: a combination.
        for pid in _products_by_set(kb).get(frozenset(named), []):
            covering.append((Target("product", pid, "en", kb.products[pid].name.en), []))
    for t, own in covering:
        support = [m for m in matches if any(_sets(kb, x) <= _sets(kb, t) for x in m.targets
                                             if x.kind != "not_medicine")]
        scored.append(_score(kb, t, own, support, matches, reading, left))
    if not covering:
        scored.append(_combination(kb, sorted(named), matches, reading, left))
    # Other readings of ambiguous names, below the ones that explain everything.
    for t, own in pool.values():
        if (t.kind, t.id) in {(c.kind, c.id) for _, c in scored}:
            continue
        s, c = _score(kb, t, own, own, matches, reading, left)
        scored.append((s - 1.0, _with_confidence(c, c.confidence * 0.6)))
    scored.sort(key=lambda x: -x[0])
    out = [c for _, c in scored]
    # Different things at the top: the name is ambiguous; say so by lowering confidence.
    if len(out) > 1 and out[1].substances != out[0].substances and scored[1][0] >= scored[0][0] - 0.05:
        out[0] = _with_confidence(out[0], out[0].confidence * 0.75)
    return out[:5]


def _with_confidence(c: Candidate, confidence: float) -> Candidate:
    return Candidate(c.kind, c.id, c.name_en, c.name_ko, c.parts, c.other, c.form,
                     round(confidence, 2), c.reasons)


def _match_quality(ms: list[_Match]) -> float:
    return max((m.score for m in ms), default=0.6)


def _name_reasons(kb: KnowledgeBase, t: Target, ms: list[_Match]) -> list[Reason]:
    out: list[Reason] = []
    what = _title(kb, t)
    for m in ms:
        if m.how == "exact":
            out.append(Reason(f"'{m.text.strip()}' is a name of {what[0]}",
                              f"'{m.text.strip()}'은(는) {what[1]}의 이름입니다"))
        elif m.how == "typo":
            out.append(Reason(f"'{m.text.strip()}' looks like a misspelling of '{m.key}' ({what[0]})",
                              f"'{m.text.strip()}'은(는) '{m.key}' ({what[1]})의 잘못 쓴 것 같습니다"))
        else:
            out.append(Reason(f"'{m.text.strip()}' looks like the start of '{m.key}' ({what[0]})",
                              f"'{m.text.strip()}'은(는) '{m.key}' ({what[1]})의 앞부분 같습니다"))
    return out


def _title(kb: KnowledgeBase, t: Target) -> tuple[str, str]:
    if t.kind == "product":
        p = kb.products[t.id]
        return p.name.en, p.name.ko
    s = kb.substances[t.id]
    ko = s.names.ko[0] if s.names.ko else s.inn
    return s.inn, ko


def _score(kb: KnowledgeBase, t: Target, own: list[_Match], support: list[_Match],
           matches: list[_Match], reading: Reading, left: _Leftovers) -> tuple[float, Candidate]:
    quality = _match_quality(own or support)
    confidence = quality
    reasons = _name_reasons(kb, t, own or support)
    unexplained = [m for m in matches if m not in support]
    if unexplained:
        confidence -= 0.25 * len(unexplained)
        reasons.append(Reason(
            f"other names in the query do not fit it: {', '.join(m.text.strip() for m in unexplained)}",
            f"질문의 다른 이름이 맞지 않습니다: {', '.join(m.text.strip() for m in unexplained)}"))
    if t.kind == "product":
        parts, form, other, notes, used, fit = _product_parts(kb, kb.products[t.id], reading, left)
        name_en, name_ko = kb.products[t.id].name.en, kb.products[t.id].name.ko
        kind: Literal["product", "substance", "combination"] = "product"
    else:
        s = kb.substances[t.id]
        part, notes, used, fit = _substance_part(s, reading)
        parts, other = (part,), ()
        form = left.forms[0] if left.forms else None
        name_en, name_ko = _title(kb, t)
        kind = "substance"
    reasons += notes
    unknown = [w for w in left.unknown if w not in used]
    glued = [w for w in left.glued if w not in used]
    if glued:
        confidence -= min(0.45, 0.3 * len(glued))
        reasons.append(Reason(
            f"'{glued[0]}' is joined to the name: it may be another medicine with a longer name",
            f"'{glued[0]}'이(가) 이름에 붙어 있습니다: 이름이 더 긴 다른 약일 수 있습니다"))
    if unknown:
        confidence -= min(0.3, 0.12 * len(unknown))
        reasons.append(Reason(f"words not understood: {', '.join(unknown)}",
                              f"알 수 없는 말: {', '.join(unknown)}"))
    if form is not None and left.forms and form is not left.forms[0] and t.kind == "product":
        reasons.append(Reason(f"the pack says {left.forms[0].value}, this product is a {form.value}",
                              f"포장에는 {left.forms[0].value}, 이 제품은 {form.value}입니다"))
        form = left.forms[0]
    # A generic name (also a substance's) means the substance, not one maker's product of it.
    generic = any(x.kind == "substance" for m in own for x in m.targets)
    product_bonus = 0.0 if t.kind != "product" else (-0.05 if generic else 0.03)
    rank = confidence + 0.05 * len(support) + 0.1 * fit + product_bonus + \
        0.001 * sum(len(m.key) for m in own)
    cand = Candidate(kind, t.id, name_en, name_ko, parts, other, form,
                     round(max(0.0, min(1.0, confidence)), 2), tuple(dict.fromkeys(reasons)))
    return rank, cand


def _in_mg(q: Quantity, s: Substance) -> tuple[float, str] | None:
    """A single quantity as an amount in the substance's unit."""
    if q.unit == "%":
        return None
    if q.unit == "IU":
        # Units read as mg where the substance has a known potency (80万单位 benzylpenicillin
        # sodium = 480 mg), so that labels in units and in grams compare.
        if s.iu_per_mg and q.amounts[0] / s.iu_per_mg >= 1.0:
            return round(q.amounts[0] / s.iu_per_mg, 1), "mg"
        if s.unit == "IU":
            return q.amounts[0], "IU"
        return None
    mg = q.in_mg()
    if mg is not None:
        if s.unit == "mcg":
            return mg[0] * 1000.0, "mcg"
        if s.unit == "g":
            return mg[0] / 1000.0, "g"
        return mg[0], "mg"
    # A bare number: as written when it is a usual strength, else grams when it reads like one.
    n = q.amounts[0]
    usual = s.strengths
    if any(math.isclose(n, x) for x in usual):
        return n, s.unit
    if s.unit == "mg" and any(math.isclose(n * 1000.0, x) for x in usual):
        return n * 1000.0, "mg"
    if s.unit == "mg" and n < 10 and not float(n).is_integer():
        return n * 1000.0, "mg"
    return n, s.unit


def _substance_part(s: Substance, reading: Reading) -> tuple[Part, list[Reason], list[str], int]:
    """The substance with the strength the query gives; fit 1 usual, -1 unusual, 0 none given."""
    notes: list[Reason] = []
    read = [(q, got) for q in reading.quantities if len(q.amounts) == 1
            for got in [_in_mg(q, s)] if got is not None]
    # A usual strength first: "타이레놀 8시간 650" is 650 mg, not 8.
    read.sort(key=lambda x: not any(math.isclose(x[1][0], v) for v in s.strengths))
    for q, (amount, unit) in read:
        per_ml = q.per_ml
        notes.append(Reason(f"strength '{q.text.strip()}' read as {_fmt(amount)} {unit}"
                            + (f" in {_fmt(per_ml)} mL" if per_ml else ""),
                            f"함량 '{q.text.strip()}'을(를) {_fmt(amount)} {unit}"
                            + (f" ({_fmt(per_ml)} mL에)" if per_ml else "") + "로 읽었습니다"))
        usual = not s.strengths or per_ml is not None or any(math.isclose(amount, x) for x in s.strengths)
        if not usual:
            notes.append(Reason(f"{_fmt(amount)} {unit} is not a usual strength of {s.inn}: read the pack",
                                f"{_fmt(amount)} {unit}은(는) {s.inn}의 흔한 함량이 아닙니다: "
                                "포장을 읽으십시오"))
        return Part(s.id, s.inn, amount, unit, per_ml), notes, [], 1 if usual else -1
    return Part(s.id, s.inn, None, s.unit), notes, [], 0


def _product_parts(
    kb: KnowledgeBase, p: Product, reading: Reading, left: _Leftovers, fallback: bool = True
) -> tuple[tuple[Part, ...], FormKind | None, tuple[str, ...], list[Reason], list[str], int]:
    """The product's parts in the strength the query names; fit as in `_substance_part`."""
    counted = [i for i in p.ingredients if i.substance is not None]
    other = tuple(i.label for i in p.ingredients if i.substance is None)
    if p.form.category == "topical" and not left.forms:
        reading = Reading(reading.text, list(reading.quantities), list(reading.pack), reading.codes)
        _weights_are_packs(reading)
    base = [i.amount for i in counted]
    form: FormKind | None = left.forms[0] if left.forms else p.form
    per_ml = p.per_ml
    notes: list[Reason] = []
    used: list[str] = []
    options: list[tuple[list[float | None], FormKind | None, float | None, list[str]]] = [
        (list(base), p.form, p.per_ml, [])]
    options += [(list(v.amounts), v.form or p.form, v.per_ml or p.per_ml, [fold(x) for x in v.says])
                for v in p.variants]
    chosen = None
    codes = [fold(c) for c in reading.codes] + list(left.words)
    for amounts, vform, vml, says in options[1:]:
        # A code as written ("ds", "625"), or inside a glued word (서방 in 서방정).
        hit = next((c for c in codes if c in says or any(
            len(x) >= 2 and not spaced(main_script(x)) and x in c for x in says)), None)
        if hit is not None:
            chosen = (amounts, vform, vml)
            used.append(hit)
            notes.append(Reason(f"'{hit}' names the {_fmt_amounts(amounts)} strength",
                                f"'{hit}'은(는) {_fmt_amounts(amounts)} 함량을 뜻합니다"))
            break
    for q in reading.quantities:
        if chosen is not None:
            break
        mg = q.in_mg()
        values = mg if mg is not None else q.amounts
        for amounts, vform, vml, says in options:
            known = [a for a in amounts if a is not None]
            if not known:
                continue
            text_hit = fold(q.text) in says
            if len(values) > 1:
                ok = text_hit or (len(values) == len(known) and all(
                    math.isclose(a, b) for a, b in zip(values, known, strict=True)))
            else:
                v = values[0]
                ok = text_hit or math.isclose(v, sum(known)) or math.isclose(v, known[0]) or (
                    mg is None and (math.isclose(v * 1000, sum(known)) or math.isclose(v * 1000, known[0])))
                if q.per_ml and vml and len(known) == 1:
                    ok = math.isclose(v / q.per_ml, known[0] / vml)
            if ok:
                chosen = (amounts, vform, vml)
                notes.append(Reason(f"strength '{q.text.strip()}' fits {_fmt_amounts(amounts)}",
                                    f"함량 '{q.text.strip()}'은(는) {_fmt_amounts(amounts)}에 맞습니다"))
                break
    if chosen is None and left.forms:
        # No strength written, but a form: "Septrin suspension" is the suspension variant.
        want = left.forms[0]
        for amounts, vform, vml, _ in options[1:] if p.form.category != want.category else ():
            if vform is not None and vform.category == want.category:
                chosen = (amounts, vform, vml)
                notes.append(Reason(f"the {want.value} is the {_fmt_amounts(amounts)} strength",
                                    f"{want.value}은(는) {_fmt_amounts(amounts)} 함량입니다"))
                break
    if chosen is None and fallback and len(counted) > 1 and reading.quantities:
        # The same combination under another name may be sold in the strength written
        # (Бисептол suspension 240 mg/5 mL: the generic co-trimoxazole's suspension).
        for alt_id in _products_by_set(kb).get(frozenset(p.substances), []):
            alt = kb.products[alt_id]
            if alt_id == p.id or [i.substance for i in alt.ingredients if i.substance] != [
                    i.substance for i in counted]:
                continue
            parts_, oform, _, onotes, oused, ofit = _product_parts(kb, alt, reading, left, fallback=False)
            if ofit == 1:
                note = Reason(f"that strength is known for {alt.name.en}, the same combination",
                              f"그 함량은 같은 복합제인 {alt.name.ko}에서 알려져 있습니다")
                return parts_, oform, other, [*onotes, note], oused, 1
    if chosen is None and len(counted) == 1 and reading.quantities:
        # A single-ingredient product in another strength than the usual one: read it as written.
        sid = counted[0].substance
        assert sid is not None
        s = kb.substances.get(sid)
        if s is not None:
            part, snotes, _, sfit = _substance_part(s, reading)
            if part.amount is not None:
                return (part,), form, other, snotes, used, min(sfit, 0)
    fit = 1 if chosen is not None else 0
    if chosen is None:
        amounts_: list[float | None] = list(base)
        if reading.quantities and any(a is not None for a in base):
            notes.append(Reason(
                f"the strength written ({', '.join(q.text.strip() for q in reading.quantities)}) is not "
                f"one this product is known in: read the pack",
                f"쓰인 함량 ({', '.join(q.text.strip() for q in reading.quantities)})은(는) 이 제품의 알려진 "
                "함량이 아닙니다: 포장을 읽으십시오"))
            fit = -1
    else:
        amounts_, vform, per_ml = chosen
        if not left.forms:
            form = vform
    parts = []
    for ing, amount in zip(counted, amounts_, strict=True):
        sid = ing.substance
        assert sid is not None
        s = kb.substances.get(sid)
        inn = s.inn if s is not None else sid.replace("_", " ")
        unit = ing.unit
        # Units as mg where that reads as a strength (penicillin), not for vitamin D's 125 IU.
        if unit == "IU" and amount is not None and s is not None and s.iu_per_mg and (
                amount / s.iu_per_mg >= 1):
            amount, unit = round(amount / s.iu_per_mg, 1), "mg"
        parts.append(Part(sid, inn, amount, unit, per_ml if amount is not None else None))
    return tuple(parts), form, other, notes, used, fit


def _combination(kb: KnowledgeBase, sids: list[str], matches: list[_Match], reading: Reading,
                 left: _Leftovers) -> tuple[float, Candidate]:
    pair = next((q for q in reading.quantities if len(q.amounts) == len(sids)), None)
    amounts: list[float | None] = [None] * len(sids)
    reasons = []
    for m in matches:
        inns = ", ".join(kb.substances[t.id].inn for t in m.targets if t.kind == "substance")
        reasons.append(Reason(f"'{m.text.strip()}' names {inns}",
                              f"'{m.text.strip()}'은(는) 성분 이름입니다"))
    if pair is not None and len(sids) > 1:
        mg = pair.in_mg()
        amounts = list(mg if mg is not None else pair.amounts)
        reasons.append(Reason(f"strengths '{pair.text.strip()}' read in the order of the names",
                              f"함량 '{pair.text.strip()}'을(를) 이름 순서대로 읽었습니다"))
    parts = tuple(Part(s, kb.substances[s].inn, a) for s, a in zip(sids, amounts, strict=True))
    quality = min(m.score for m in matches) - (0.12 * len(left.unknown))
    name = " + ".join(kb.substances[s].inn for s in sids)
    cand = Candidate("combination", None, name, name, parts, (), left.forms[0] if left.forms else None,
                     round(max(0.0, min(1.0, quality)), 2), tuple(reasons))
    return quality + 0.05 * len(matches), cand


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _fmt_amounts(amounts: list[float | None]) -> str:
    return "/".join(_fmt(a) for a in amounts)


"""Which tablet is this? Search the appearance table by imprint, colour, shape and score line.

Imprints are compared in a reading-safe form: characters that people and cameras confuse
(O/0/D/Q, I/1/l, S/5, B/8, Z/2, G/6) are folded together, so "CIP 5OO" meets "CIP 500".
Either side may be missing or partial. Candidates come from an index of imprint bigrams, so
a table padded to 100,000 rows is searched in milliseconds; colour, shape, score line and
size are scored with numpy over the candidates (or over the whole table when no imprint
was read). Looks are never proof: the result says how sure it is and what to check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process

from yakbang.errors import UserError
from yakbang.identify.catalogue import fold, normalise
from yakbang.kb.catalogue import COLOURS, SHAPES, Pill
from yakbang.kb.loader import KnowledgeBase

CONFUSABLE = str.maketrans({"0": "O", "D": "O", "Q": "O", "1": "I", "L": "I", "|": "I",
                            "!": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})
_NOT_IMPRINT = re.compile(r"[\W_]+")  # letters of any script stay: ムコスタ, 정, 片
BLANK_WORDS = {"", "none", "blank", "없음", "없다", "无", "无字", "нет", "なし", "-"}
# Colours close enough that one is often said for the other (cream said white, tan brown).
NEAR_COLOURS = {("white", "beige"), ("white", "grey"), ("yellow", "orange"), ("yellow", "beige"),
                ("orange", "red"), ("orange", "brown"), ("pink", "red"), ("pink", "purple"),
                ("blue", "purple"), ("blue", "green"), ("grey", "black"), ("brown", "red"),
                ("white", "transparent")}
NEAR_SHAPES = {("oval", "oblong"), ("oblong", "capsule"), ("oval", "capsule"), ("round", "oval"),
               ("square", "rectangle"), ("diamond", "square"), ("pentagon", "hexagon"),
               ("hexagon", "octagon"), ("octagon", "round")}
IDENTIFIED, POSSIBLE = 0.85, 0.55
MAX_IMPRINT_ROWS = 4000


class BadPillQuery(UserError):
    pass


def canonical(imprint: str) -> str:
    """An imprint as it may be read: upper case, no spaces, confusable characters folded."""
    text = normalise(imprint).upper().replace("|", "I").replace("!", "I")
    return _NOT_IMPRINT.sub("", text).translate(CONFUSABLE)


@dataclass(frozen=True)
class PillQuery:
    imprint: str | None = None  # "CIP 500", "CIP/500" for both sides, "" for a blank tablet
    colours: tuple[str, ...] = ()  # table values (white, yellow, ...)
    shape: str | None = None
    score: int | None = None
    length_mm: float | None = None
    capsule: bool | None = None


@dataclass(frozen=True)
class PillCandidate:
    pill: Pill
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PillResult:
    query: PillQuery
    status: str  # identified, possible, unknown
    candidates: tuple[PillCandidate, ...]


@dataclass
class PillIndex:
    pills: list[Pill]
    sides: list[tuple[str, str]] = field(default_factory=list)  # canonical front, back
    grams: dict[str, np.ndarray] = field(default_factory=dict)
    colour_bits: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    shape: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    score_line: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    length: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    capsule: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    blank: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @classmethod
    def build(cls, pills: list[Pill]) -> PillIndex:
        index = cls(pills)
        grams: dict[str, list[int]] = defaultdict(list)
        colour_of = {c: i for i, c in enumerate(COLOURS)}
        shape_of = {s: i for i, s in enumerate(SHAPES)}
        n = len(pills)
        bits = np.zeros(n, np.int32)
        shape = np.zeros(n, np.int16)
        line = np.zeros(n, np.int16)
        length = np.full(n, np.nan, np.float32)
        capsule = np.zeros(n, bool)
        blank = np.zeros(n, bool)
        for i, p in enumerate(pills):
            front, back = canonical(p.imprint_front or ""), canonical(p.imprint_back or "")
            index.sides.append((front, back))
            for g in {*_grams(front), *_grams(back), *front, *back}:  # pairs, and single characters
                grams[g].append(i)
            for c in p.colours:
                bits[i] |= 1 << colour_of[c]
            shape[i] = shape_of[p.shape]
            line[i] = p.score
            length[i] = p.length_mm if p.length_mm is not None else np.nan
            capsule[i] = "capsule" in p.form
            blank[i] = not front and not back and p.imprint_front is not None
        index.grams = {g: np.asarray(rows, np.int64) for g, rows in grams.items()}
        index.colour_bits, index.shape, index.score_line = bits, shape, line
        index.length, index.capsule, index.blank = length, capsule, blank
        return index


def _grams(text: str) -> set[str]:
    if len(text) <= 1:
        return {text} if text else set()
    return {text[i:i + 2] for i in range(len(text) - 1)}


@cache
def pill_index(kb: KnowledgeBase) -> PillIndex:
    return PillIndex.build(list(kb.pills.values()))


def _word_map(table: dict[str, list[str]]) -> dict[str, str]:
    return {fold(w): value for value, ws in table.items() for w in [value, *ws]}


_RU_ENDINGS = ("ого", "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ую")


def _stem(word: str) -> str:
    """A Russian adjective without its ending (белая, белый -> бел)."""
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


def _lookup(table: dict[str, str], shades: list[str], word: str) -> str | None:
    """A colour or shape word, also with a shade word (light orange, 연분홍, 淡橙色) or an ending."""
    key = fold(word)
    if key in table:
        return table[key]
    for shade in shades:
        for rest in (key.removeprefix(shade), key.removesuffix(shade)):
            if rest != key and rest in table:
                return table[rest]
    stems = {_stem(k): v for k, v in table.items()}
    for shade in ["", *shades]:
        rest = key.removeprefix(shade)
        if _stem(rest) in stems:
            return stems[_stem(rest)]
    return None


def parse_colours(kb: KnowledgeBase, text: str | None) -> tuple[str, ...]:
    """Colour words in any language ("흰색", "white/yellow", "白色", "light orange") -> table colours."""
    if not text:
        return ()
    words = kb.medicine_words
    table = _word_map(words.colours if words else {})
    shades = sorted((fold(w) for w in (words.shades if words else []) if fold(w)), key=len, reverse=True)
    out: list[str] = []
    parts = [p for p in re.split(r"[,/;+&、]|\s+and\s+|\s+и\s+|\s*그리고\s*", text.strip()) if p.strip()]
    for phrase in parts:
        whole = _lookup(table, shades, phrase)
        found = [whole] if whole else [_lookup(table, shades, w) for w in phrase.split()
                                        if fold(w) not in shades]
        if whole is None and (not found or None in found):
            part = phrase
            raise BadPillQuery(f"the colour {part.strip()!r} is not known; use words such as "
                               f"{', '.join(COLOURS[:8])} (or 흰색, 노란색, 白色, белый)")
        out += [c for c in found if c is not None]
    return tuple(dict.fromkeys(out))


def parse_shape(kb: KnowledgeBase, text: str | None) -> str | None:
    if not text:
        return None
    words = kb.medicine_words
    table = _word_map(words.shapes if words else {})
    shape = _lookup(table, [], text)
    if shape is None:
        raise BadPillQuery(f"the shape {text.strip()!r} is not known; use one of "
                           f"{', '.join(SHAPES)} (or 둥근, 타원형, 圆形, круглый)")
    return shape


def _imprint_scores(index: PillIndex, imprint: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows sharing a piece of the imprint, and how well each matches (0-1)."""
    parts = [canonical(p) for p in re.split(r"[/|\\]", imprint)]
    parts = [p for p in parts if p] or [canonical(imprint)]
    whole = "".join(parts)
    postings = [index.grams[g] for g in _grams(whole) if g in index.grams]
    if not postings:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    counts = np.bincount(np.concatenate(postings), minlength=len(index.pills))
    # Rows sharing the most pieces of the imprint; a worn or misread imprint still shares some.
    best = int(counts.max())
    rows = np.flatnonzero(counts >= max(1, best - 2))
    if len(rows) > MAX_IMPRINT_ROWS:
        rows = rows[np.argsort(-counts[rows], kind="stable")[:MAX_IMPRINT_ROWS]]
    fronts = [index.sides[i][0] for i in rows]
    backs = [index.sides[i][1] for i in rows]
    if len(parts) >= 2:
        a, b = parts[0], parts[1]
        straight = (_sides(a, fronts) + _sides(b, backs)) / 2
        crossed = (_sides(a, backs) + _sides(b, fronts)) / 2
        return rows, np.maximum(straight, crossed)
    both = [f + b for f, b in zip(fronts, backs, strict=True)]
    reverse = [b + f for f, b in zip(fronts, backs, strict=True)]
    scores = np.maximum.reduce([_sides(whole, fronts), _sides(whole, backs), _sides(whole, both),
                                _sides(whole, reverse)])
    return rows, scores


def _sides(query: str, sides: list[str]) -> np.ndarray:
    """How well the query matches each side (0-1), all at once."""
    full = process.cdist([query], sides, scorer=fuzz.ratio, dtype=np.float32)[0] / 100.0
    lengths = np.fromiter((max(1, len(x)) for x in sides), np.float32, count=len(sides))
    empty = np.fromiter((not x for x in sides), bool, count=len(sides))
    if len(query) >= 2:
        # Part of the imprint read (worn, half hidden): a partial match, worth a little less.
        partial = process.cdist([query], sides, scorer=fuzz.partial_ratio, dtype=np.float32)[0] / 100.0
        # Scaled by how much of the longer of the two the shorter covers: "CIP5" read of
        # "CIP500" is a fair match, and so is "500" for "CIP 500" only in part.
        cover = np.minimum(lengths, len(query)) / np.maximum(lengths, len(query))
        partial *= 0.55 + 0.45 * cover
        full = np.maximum(full, partial)
    return np.where(empty, 0.0, full).astype(np.float32)


def search_pills(kb: KnowledgeBase, q: PillQuery, index: PillIndex | None = None,
                 limit: int = 5) -> PillResult:
    index = index or pill_index(kb)
    if q.imprint is None and not q.colours and q.shape is None:
        raise BadPillQuery("say at least the imprint (letters or numbers on the tablet), "
                           "the colour or the shape")
    n = len(index.pills)
    blank_query = q.imprint is not None and normalise(q.imprint).strip() in BLANK_WORDS
    if q.imprint is not None and not blank_query:
        if not canonical(q.imprint):
            raise BadPillQuery(f"no letters or numbers could be read in the imprint {q.imprint!r}")
        rows, imprint_score = _imprint_scores(index, q.imprint)
        weight_imprint = 0.6
    else:
        rows = np.arange(n)
        imprint_score = np.zeros(n, np.float32)
        if blank_query:
            imprint_score = index.blank.astype(np.float32)
        weight_imprint = 0.3 if blank_query else 0.0
    if len(rows) == 0:
        return PillResult(q, "unknown", ())
    total = weight_imprint * imprint_score
    weights = weight_imprint
    colour_of = {c: i for i, c in enumerate(COLOURS)}
    if q.colours:
        bits = index.colour_bits[rows]
        want = 0
        for c in q.colours:
            want |= 1 << colour_of[c]
        exact = (bits & want) == want
        near_bits = want
        for a, b in NEAR_COLOURS:
            if a in q.colours:
                near_bits |= 1 << colour_of[b]
            if b in q.colours:
                near_bits |= 1 << colour_of[a]
        near = (bits & near_bits) != 0
        total = total + 0.2 * np.where(exact, 1.0, np.where(near, 0.5, 0.0))
        weights += 0.2
    if q.shape is not None:
        shape_of = {s: i for i, s in enumerate(SHAPES)}
        near_shapes = ({b for a, b in NEAR_SHAPES if a == q.shape}
                       | {a for a, b in NEAR_SHAPES if b == q.shape})
        shapes = index.shape[rows]
        near = np.isin(shapes, [shape_of[s] for s in near_shapes])
        total = total + 0.12 * np.where(shapes == shape_of[q.shape], 1.0, np.where(near, 0.5, 0.0))
        weights += 0.12
    if q.score is not None:
        total = total + 0.05 * (index.score_line[rows] == q.score)
        weights += 0.05
    if q.length_mm is not None:
        diff = np.abs(index.length[rows] - q.length_mm)
        total = total + 0.05 * np.where(np.isnan(diff), 0.5, np.clip(1.0 - diff / 3.0, 0.0, 1.0))
        weights += 0.05
    if q.capsule is not None:
        total = total + 0.05 * (index.capsule[rows] == q.capsule)
        weights += 0.05
    score = total / weights
    k = min(limit, len(rows))
    top = np.argpartition(-score, k - 1)[:k]
    top = top[np.argsort(-score[top], kind="stable")]
    cands = []
    for j in top:
        i = int(rows[j])
        cands.append(PillCandidate(index.pills[i], round(float(score[j]), 3),
                                   _reasons(index, i, q, float(imprint_score[j]))))
    best = cands[0].score
    margin = best - cands[1].score if len(cands) > 1 else best
    status = ("identified" if best >= IDENTIFIED and margin >= 0.05 and weight_imprint >= 0.6
              else "possible" if best >= POSSIBLE else "unknown")
    return PillResult(q, status, tuple(cands) if status != "unknown" else ())


def _reasons(index: PillIndex, i: int, q: PillQuery, imprint_score: float) -> tuple[str, ...]:
    p = index.pills[i]
    out = []
    sides = " / ".join(s or "(blank)" for s in (p.imprint_front or "", p.imprint_back or ""))
    if q.imprint is not None:
        how = "matches" if imprint_score >= 0.999 else f"is close ({imprint_score:.2f})"
        out.append(f"imprint {q.imprint!r} {how} {sides}")
    if q.colours:
        out.append(f"colour {', '.join(q.colours)}; this one is {', '.join(p.colours)}")
    if q.shape:
        out.append(f"shape {q.shape}; this one is {p.shape}")
    if q.score is not None:
        out.append(f"score line {q.score}; this one has {p.score}")
    return tuple(out)

"""Read a description and find the knowledge base's findings in it, present or absent.

Names and synonyms come from the knowledge base (both languages are searched, since people
mix them); negation cues, clause breaks and filler words come from its lexicon files. The
reader never invents a finding from a word it does not know: such words are reported back
as "not understood" so the interview can ask about them.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import NamedTuple

from yakbang.errors import UserError
from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import Lexicon, normalise_phrase
from yakbang.text.korean import Vocabulary, clause_ends, korean_tokens, lemma_texts, negators
from yakbang.text.person import PersonHint, person_hint
from yakbang.text.qualifiers import Qualifiers, attach, derive
from yakbang.text.quantities import Kind, Quantity, find_quantities
from yakbang.text.spelling import corrected
from yakbang.text.variant import Variant
from yakbang.text.window import WindowMatcher, loose_synonyms
from yakbang.types import Lang

MAX_TEXT = 5000
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_PUNCT_BREAK = re.compile(r"[.,;:!?\n()\[\]/]")
_EN_SUFFIX = r"(?:s|es|ed|d|ing|ning|y)?"
_SENTENCE = re.compile(r"[.!?\n]")
# Quantities a synonym may contain ("이틀마다 열", "lost 5 kg", "설사 ... 보름"): only a
# Korean number word in them is hidden ("열" is ten, not fever).
_READ_THROUGH = frozenset({Kind.DURATION, Kind.INTERVAL, Kind.AMOUNT})
# A Korean synonym that ends in -지 ("낫지", "고르지", "거들떠보지") is completed by 않/못.
_KO_NEGATED_FORM = ("지", "지는", "지도", "지를", "질", "지가")


@dataclass(frozen=True)
class Mention:
    finding_id: str
    present: bool
    text: str
    start: int
    end: int
    fuzzy: bool = False
    # Implied by a number rather than said in words ("fever for 10 days": fever_7_days).
    derived: bool = False
    qualifiers: Qualifiers = field(default_factory=Qualifiers)


@dataclass(frozen=True)
class Understanding:
    text: str
    mentions: tuple[Mention, ...]
    not_understood: tuple[str, ...]
    person: PersonHint = field(default_factory=lambda: PersonHint(None, None, None, ()))
    quantities: tuple[Quantity, ...] = ()

    @property
    def present(self) -> list[str]:
        return _dedupe(m.finding_id for m in self.mentions if m.present)

    @property
    def absent(self) -> list[str]:
        present = set(self.present)
        return _dedupe(m.finding_id for m in self.mentions
                       if not m.present and m.finding_id not in present)


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


class _Span(NamedTuple):
    start: int
    end: int
    finding_id: str
    fuzzy: bool
    parts: tuple[tuple[int, int], ...]  # the characters the match really uses
    says_absent: bool = False  # "feeds well": a phrase that says the finding is absent
    # A Korean phrase that ends in -지 ("낫지", "고르지"): a 않 after it is its own.
    ends_in_ji: bool = False


# Phrases that say findings are absent are indexed with the ids they name, marked.
_ABSENT = "!"


def _expand(span: _Span) -> list[_Span]:
    """A phrase that says several findings are absent ("feeds well") is one span each."""
    if not span.finding_id.startswith(_ABSENT):
        return [span]
    return [span._replace(finding_id=fid, says_absent=True)
            for fid in span.finding_id[len(_ABSENT):].split("|")]


@dataclass(frozen=True, eq=False)
class _Reader:
    """Everything the reader needs, built once per knowledge base. The Korean patterns are
    built on the first Korean text, so English-only use starts faster."""

    en_pattern: re.Pattern[str]
    hangul: tuple[str, ...]  # Korean synonyms of two syllables or more
    syllables: tuple[str, ...]  # one-syllable Korean synonyms, matched as whole words
    particles: tuple[str, ...]
    phrase_to_finding: dict[str, str]
    neg_before: re.Pattern[str]
    neg_after_en: re.Pattern[str]
    neg_after_ko: re.Pattern[str]
    neg_before_ko: tuple[str, ...]
    pseudo_negation: re.Pattern[str]
    coordinator: re.Pattern[str]
    own_predicate: re.Pattern[str]
    denial: re.Pattern[str]
    dependent_nouns: frozenset[str]
    list_gap: re.Pattern[str]  # what may stand between the items of a list: ", ", " or "
    all_absent: re.Pattern[str]  # "다 없어요": everything before it in the clause is absent
    breaks: re.Pattern[str]
    ignore: frozenset[str]
    cue_words: frozenset[str]
    window: WindowMatcher
    context_pattern: re.Pattern[str]
    context: dict[str, tuple[tuple[str, str], ...]]  # word -> (finding, the finding it needs)
    lineage: dict[str, frozenset[str]]  # finding -> itself and its ancestors
    clause_endings: frozenset[str]

    @functools.cached_property
    def ko_pattern(self) -> re.Pattern[str]:
        # Only where a word begins: a Korean synonym never starts inside a word.
        return re.compile(f"(?<![\uac00-\ud7a3])(?=[^\\s.,!?])"
                          f"(?=({_alternation(list(self.hangul))}))")

    @functools.cached_property
    def ko_word_pattern(self) -> re.Pattern[str]:
        if not self.syllables:
            return re.compile(r"(?!)")
        return re.compile(rf"(?<![\uac00-\ud7a3])({_alternation(list(self.syllables))})"
                          rf"(?:{_alternation(list(self.particles))})?(?![\uac00-\ud7a3])")

    @functools.cached_property
    def korean_words(self) -> Vocabulary:
        return Vocabulary.of(_korean_words(list(self.hangul), list(self.particles)))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _lexicon(kb: KnowledgeBase, lang: Lang) -> Lexicon:
    return kb.lexicons.get(lang) or Lexicon(lang=lang)


def _lineage(kb: KnowledgeBase, fid: str) -> frozenset[str]:
    out = {fid}
    while (parent := kb.findings[fid].parent) is not None:
        out.add(parent)
        fid = parent
    return frozenset(out)


def _context_words(kb: KnowledgeBase, particles: list[str]
                   ) -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, str], ...]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for f in kb.findings.values():
        for ctx in f.context:
            for lang in Lang:
                for word in ctx.get(lang):
                    table.setdefault(normalise_phrase(word), []).append((f.id, ctx.with_))
    latin = [w for w in table if not _HANGUL.search(w)]
    short = [w for w in table if _HANGUL.search(w) and len(w) == 1]
    longer = [w for w in table if _HANGUL.search(w) and len(w) > 1]
    # Longer Korean words first: "피가 나" before "피".
    alternatives = [rf"(?<![a-z])({_alternation(latin)}){_EN_SUFFIX}(?![a-z])" if latin else "",
                    rf"(?<![\uac00-\ud7a3])({_alternation(longer)})" if longer else "",
                    rf"(?<![\uac00-\ud7a3])({_alternation(short)})(?:{_alternation(particles)})?"
                    r"(?![\uac00-\ud7a3])" if short else ""]
    pattern = "|".join(a for a in alternatives if a) or r"(?!)"
    return re.compile(pattern), {w: tuple(v) for w, v in table.items()}


@cache
def _reader(kb: KnowledgeBase) -> _Reader:
    phrases: dict[str, str] = {}
    for lang in Lang:
        phrases.update(kb.synonym_index(lang))
    said_absent: dict[str, list[str]] = {}
    for f in kb.findings.values():
        for lang in Lang:
            for phrase in f.absent_when_said.get(lang):
                said_absent.setdefault(normalise_phrase(phrase), []).append(f.id)
    for phrase, ids in said_absent.items():
        phrases.setdefault(phrase, _ABSENT + "|".join(sorted(set(ids))))
    latin = [p for p in phrases if not _HANGUL.search(p)]
    hangul = [p for p in phrases if _HANGUL.search(p) and len(p) > 1]
    syllables = [p for p in phrases if _HANGUL.search(p) and len(p) == 1]
    en, ko = _lexicon(kb, Lang.EN), _lexicon(kb, Lang.KO)
    danger = frozenset(f.id for f in kb.findings.values() if f.danger)
    context_pattern, context = _context_words(kb, ko.particles)
    breaks = [*en.clause_breaks]
    return _Reader(
        # Lookaheads find a match at every position, overlapping ones too, so that the
        # longest phrase wins even when a shorter one starts earlier.
        # Short synonyms take no ending: "hiv" + "es" is "hives".
        en_pattern=re.compile(  # the first lookahead skips spaces and Hangul cheaply
            rf"(?<![a-z])(?=[^\s\uac00-\ud7a3])"
            rf"(?=(({_alternation([p for p in latin if len(p) > 3])}){_EN_SUFFIX}|"
            rf"({_alternation([p for p in latin if len(p) <= 3]) or '(?!)'}))(?![a-z]))"),
        hangul=tuple(hangul),
        syllables=tuple(syllables),
        particles=tuple(ko.particles),
        phrase_to_finding=phrases,
        neg_before=re.compile(rf"(?<![a-z])({_alternation(en.negation_before)})(?![a-z])"),
        neg_after_en=re.compile(rf"^\s*(?:is |was |are )?({_alternation(en.negation_after)})\b"),
        neg_after_ko=re.compile(_alternation(ko.negation_after) or r"(?!)"),
        neg_before_ko=tuple(sorted(ko.negation_before, key=len, reverse=True)),
        pseudo_negation=re.compile(_alternation([*en.pseudo_negation, *ko.pseudo_negation])
                                   or r"(?!)"),
        coordinator=re.compile(rf"^\s*(?:{_alternation(ko.coordinators) or '(?!)'})\s*$"),
        own_predicate=re.compile(_alternation(ko.own_predicates) or r"(?!)"),
        dependent_nouns=frozenset(ko.dependent_nouns),
        list_gap=re.compile(rf"\s*(?:,|/|{_alternation(en.coordinators) or '(?!)'})?\s*"
                            rf"(?:,|{_alternation(en.coordinators) or '(?!)'})?\s*"),
        all_absent=re.compile(rf"(?:^|\s)(?:{_alternation(ko.all_words) or '(?!)'})\s*(?:없|안\s|않)"),
        denial=re.compile(rf"(?<![a-z])(?:{_alternation(en.list_negation) or '(?!)'})(?![a-z])"),
        breaks=re.compile(
            rf"(?<![a-z])(?:{_alternation(breaks)})(?![a-z])|{_alternation(ko.clause_breaks)}"
        ),
        ignore=frozenset(normalise_phrase(w) for w in [*en.ignore, *ko.ignore]),
        cue_words=frozenset(normalise_phrase(w) for lex in (en, ko) for w in
                            [*lex.negation_before, *lex.negation_after, *lex.clause_breaks]),
        window=WindowMatcher(loose_synonyms(phrases, frozenset(en.function_words), danger,
                                            frozenset(en.exact_only)),
                             frozenset(en.function_words)),
        context_pattern=context_pattern,
        context=context,
        lineage={fid: _lineage(kb, fid) for fid in kb.findings},
        clause_endings=frozenset(ko.clause_endings),
    )


def _korean_words(phrases: list[str], particles: list[str]) -> set[str]:
    """Korean words of two syllables or more in the synonyms, without a final particle."""
    ends = set(particles)
    out: set[str] = set()
    for phrase in phrases:
        for word in phrase.split():
            if not _HANGUL.fullmatch(word[0]) or not all(_HANGUL.fullmatch(c) for c in word):
                continue
            out.add(word)
            for cut in (1, 2):  # particles are one or two syllables
                if len(word) - cut >= 2 and word[-cut:] in ends:
                    out.add(word[:-cut])
    return {w for w in out if len(w) >= 2}


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"[ \t]+", " ", text)


def _candidates(reader: _Reader, text: str, cuts: list[int]) -> list[_Span]:
    """Every exact phrase match (overlapping ones too) and every loose multi-word one."""
    found: list[tuple[int, int, str, bool]] = []
    for m in reader.en_pattern.finditer(text):
        phrase = m.group(2) or m.group(3)
        found.append((m.start(), m.start() + len(m.group(1)), reader.phrase_to_finding[phrase], False))
    if not _HANGUL.search(text):
        return _with_windows(reader, text, cuts, found)
    for m in reader.ko_pattern.finditer(text):
        found.append((m.start(), m.start() + len(m.group(1)), reader.phrase_to_finding[m.group(1)],
                      m.group(1).endswith(_KO_NEGATED_FORM)))
    for m in reader.ko_word_pattern.finditer(text):
        found.append((m.start(), m.end(), reader.phrase_to_finding[m.group(1)], False))
    return _with_windows(reader, text, cuts, found)


def _with_windows(reader: _Reader, text: str, cuts: list[int],
                  found: list[tuple[int, int, str, bool]]) -> list[_Span]:
    out = [_Span(s, e, fid, False, ((s, e),), ends_in_ji=ji) for s, e, fid, ji in found
           if not _starts_inside_word(text, s, e)]
    starts = [0, *(c + 1 for c in cuts[:-1])]
    for clause in zip(starts, cuts, strict=True):
        for wm in reader.window.matches(text, clause):
            parts = tuple((t.start, t.end) for t in wm.tokens)
            out.append(_Span(parts[0][0], parts[-1][1], wm.finding_id, False, parts))
    return out


def _from_variant(reader: _Reader, variant: Variant) -> list[_Span]:
    """Matches in another writing of the text (stems, corrected typos), in the original's
    characters; a match that uses a corrected word is marked as a guess (fuzzy)."""
    out = []
    for sp in _candidates(reader, variant.text, _clause_bounds(reader, variant.text)):
        parts = tuple(variant.span(s, e) for s, e in sp.parts)
        guess = any(variant.is_guess(s, e) for s, e in parts)
        out.append(_Span(parts[0][0], parts[-1][1], sp.finding_id, guess, parts, sp.says_absent,
                         sp.ends_in_ji))
    return out


def _raw_mentions(reader: _Reader, text: str, cuts: list[int], blocked: list[bool],
                  variants: list[Variant]) -> list[_Span]:
    """Every match: exact phrases (longest first), then loose multi-word ones, then typos.

    Characters in `blocked` (a count such as "열 번", an age, a temperature) are never part
    of a finding: "열 번" is ten times, not a fever.
    """
    taken = list(blocked)
    owner: list[str | None] = [None] * len(taken)
    chosen: list[_Span] = []

    def take(span: _Span) -> None:
        chosen.append(span)
        for s, e in span.parts:
            for i in range(s, e):
                taken[i] = True
                owner[i] = owner[i] or span.finding_id

    def refines(span: _Span) -> bool:
        """Whether every character it shares is a broader finding's it names more exactly
        ("보라색 반점이 다리에 돋았어요": purple spots inside a longer match for rash)."""
        shared = {owner[i] for s, e in span.parts for i in range(s, e) if taken[i]}
        lineage = reader.lineage.get(span.finding_id, frozenset())
        return bool(shared) and None not in shared and all(
            o != span.finding_id and o in lineage for o in shared if o is not None)

    candidates = _candidates(reader, text, cuts)
    for variant in variants:
        candidates.extend(_from_variant(reader, variant))
    # The match that uses the most characters wins (a loose "설사 ... 보름" over "설사"),
    # then the earlier one; finding id breaks ties so the result never depends on order.
    # A phrase read word for word beats a loose one of the same length.
    for span in sorted(set(candidates), key=lambda sp: (-sum(e - s for s, e in sp.parts),
                                                        len(sp.parts) > 1, sp.start, sp.finding_id)):
        if not any(any(taken[s:e]) for s, e in span.parts) or refines(span):
            for one in _expand(span):
                take(one)
    for span in _in_context(reader, text, chosen, taken):
        take(span)
    return sorted(chosen)


def _in_context(reader: _Reader, text: str, chosen: list[_Span], taken: list[bool]) -> list[_Span]:
    """Plain words ("blood", "피", "hurt") that name a finding next to the one it goes with:
    the nearest such finding said in the same sentence or the one before."""
    sentences = sorted({m.start() for m in _SENTENCE.finditer(text)} | {len(text)})

    def sentence_of(pos: int) -> int:
        return bisect.bisect_left(sentences, pos)

    out = []
    for m in reader.context_pattern.finditer(text):
        word = next(g for g in m.groups() if g is not None)
        start, end = m.start(), m.start() + len(word)
        # A plain finding read from exactly these words ("passed out": fainting) gives way
        # to the one they mean next to their companion (after a head injury).
        owner = [sp for sp in chosen if len(sp.parts) == 1 and sp.parts[0][0] == start
                 and end <= sp.parts[0][1] <= end + 2]  # the word, with at most an ending
        if any(taken[start:end]) and not owner:
            continue
        here = sentence_of(start)
        options = []
        for fid, needs in reader.context[word]:
            for sp in chosen:
                near = here - 1 <= sentence_of(sp.start) <= here
                if near and sp not in owner and needs in reader.lineage.get(sp.finding_id, ()):
                    options.append((abs(sp.start - start), fid))
        if options:
            for sp in owner:
                chosen.remove(sp)
            out.append(_Span(start, end, min(options)[1], False, ((start, end),)))
    return out


def _starts_inside_word(text: str, start: int, end: int) -> bool:
    """A Korean phrase must begin a word: "목이 아파" is not in "발목이 아파", nor 치질 in 양치질,
    nor 장마 in 장마당. (Words typed without spaces are split in the stem reading.)"""
    phrase = text[start:end]
    return (bool(_HANGUL.match(phrase)) and start > 0 and bool(_HANGUL.match(text[start - 1])))


def _clause_bounds(reader: _Reader, text: str) -> list[int]:
    """Sorted positions where a clause ends (punctuation, 'but', '하지만', ...)."""
    cuts = {m.start() for m in _PUNCT_BREAK.finditer(text)}
    cuts |= {m.start() for m in reader.breaks.finditer(text)}
    return sorted(cuts | {len(text)})


def _polarity(reader: _Reader, text: str, spans: list[_Span], k: int, cuts: list[int]) -> bool:
    start, end = spans[k].start, spans[k].end
    clause_start = max([c for c in cuts if c < start], default=-1) + 1
    clause_end = min(c for c in cuts if c >= end)
    next_start = spans[k + 1][0] if k + 1 < len(spans) else len(text)
    after = text[end:min(clause_end, next_start)]
    # "does not stop", "멈추지 않아요", "not getting better": the finding goes on.
    if reader.pseudo_negation.search(text[start:end] + after) or reader.pseudo_negation.search(
            text[max(clause_start, start - 12):start]):
        return True
    before = text[clause_start:start]
    if reader.neg_before.search(before):
        return False
    parts = spans[k].parts
    for (_, gap_start), (gap_end, _) in itertools.pairwise(parts):
        gap = text[gap_start:gap_end]
        if spans[k].says_absent and gap.split() in (["못"], ["안"], ["잘", "못"], ["not"]):
            return False  # "밥도 잘 못 먹어요": not the absence phrase "잘 먹어요"
        if spans[k].says_absent and len(gap.split()) > 1:
            # "배꼽은 안 빨갛고 깨끗해요": the 안 is about 빨갛고, not about 깨끗해요
            # ("temperature not normal" is negated: nothing else stands between).
            continue
        if reader.neg_before.search(gap) or any(
                f" {cue} " in f" {gap} " for cue in reader.neg_before_ko):
            return False  # "배는 안 아파요": the cue sits between the matched words
    stripped = before.rstrip()
    if any(stripped.endswith(cue) and (len(stripped) == len(cue) or stripped[-len(cue) - 1] == " ")
           for cue in reader.neg_before_ko):
        return False
    if reader.neg_after_en.search(after):
        return False
    if spans[k].ends_in_ji and after.lstrip().startswith(("않", "못", "안 ")):
        return True  # "상처가 낫지 않아요", "맥이 고르지 않아요": the finding is the negation
    korean = bool(_HANGUL.search(text[start:end]) or _HANGUL.match(after.lstrip()))  # "fever는 없어요"
    cue = reader.neg_after_ko.search(after) if korean else None
    if cue is None and korean:
        # "눈곱은 안껴요": 안 typed against its verb, found by the analyser
        glued = next((p for p in negators(text) if end <= p < end + len(after)), None)
        if glued is not None:
            return _negation_elsewhere(reader, text, end, glued - end)
    # "헌데가 생겼어요. 아프지는 않아요": the negation is about the pain, not the sore;
    # "토하고 똥을 안 눠요": about 똥, a noun said between, not the vomiting.
    return cue is None or _negation_elsewhere(reader, text, end, cue.start())


def _negation_elsewhere(reader: _Reader, text: str, end: int, upto: int) -> bool:
    """Whether a Korean negation `upto` characters after a finding belongs to something said
    in between: a pain word ("아프지는 않아요") or a noun ("토하고 똥을 안 눠요")."""
    if reader.own_predicate.search(text, end, end + upto):
        return True
    return any(end <= t.start < end + upto and t.tag in ("NNG", "NNP") and t.form not in reader.ignore
               and t.form not in reader.dependent_nouns for t in korean_tokens(text))


def _is_korean_cue(reader: _Reader, word: str) -> bool:
    return bool(_HANGUL.match(word) and reader.neg_after_ko.match(word))


_TOKEN = re.compile(r"[.,;:!?\n()]|[^\s.,;:!?\n()]+")


def _leftovers(reader: _Reader, text: str, covered_spans: Iterable[tuple[int, int]]) -> list[str]:
    """Runs of words that nothing covered and that are not fillers or cues."""
    covered = [False] * (len(text) + 1)
    for start, end in covered_spans:
        for i in range(start, end):
            covered[i] = True
    out: list[str] = []
    run: list[str] = []
    for tok in _TOKEN.finditer(text):
        word = tok.group(0).strip("'\"-")
        skip = (not word or any(covered[tok.start():tok.end()]) or word in reader.ignore
                or word in reader.cue_words or _is_korean_cue(reader, word)
                or not re.search(r"[^\W\d_]", word))
        if skip:
            if run:
                out.append(" ".join(run))
                run = []
            continue
        run.append(word)
    if run:
        out.append(" ".join(run))
    return out


_READABLE = re.compile(r"[a-zA-Z\uac00-\ud7a3\u3131-\u318e]")


def _check_readable(text: str) -> None:
    """Refuse text with nothing in Korean or English, saying what it is instead."""
    if _READABLE.search(text):
        return
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        raise UserError("the description has no words, only numbers, punctuation or symbols; "
                        "describe the illness in Korean or English")
    scripts = sorted({unicodedata.name(ch, "OTHER").split()[0].title() for ch in letters})
    raise UserError(f"the description is written in {', '.join(scripts)}, which yakbang cannot "
                    "read; describe the illness in Korean or English")


def understand(kb: KnowledgeBase, text: str, today: date | None = None) -> Understanding:
    """Findings present and absent in a description, what is said about each, who is ill
    when said, and the words not understood. `today` dates "since Monday"."""
    if len(text) > MAX_TEXT:
        raise UserError(f"the description is {len(text)} characters long; keep it under {MAX_TEXT}")
    if not text.strip():
        raise UserError("the description is empty; describe the illness in a few words")
    _check_readable(text)
    reader = _reader(kb)
    clean = _clean(text)
    cuts = _clause_bounds(reader, clean)
    quantities = find_quantities(kb, clean, today)
    blocked = [False] * (len(clean) + 1)
    for q in quantities:
        # A count, an age, a temperature or a blood pressure is never part of a finding.
        end = q.number_end if q.kind in _READ_THROUGH else q.end
        for i in range(q.start, end):
            blocked[i] = True
    # Findings are read from the text with the numbers masked, so that a shorter synonym
    # ("설사") still matches where a longer one ran into a number ("설사를 열 번").
    masked = "".join("#" if blocked[i] else ch for i, ch in enumerate(clean))
    cuts = sorted(set(cuts) | {c for c in clause_ends(masked, reader.clause_endings) if c < len(clean)})
    typo_fixed = corrected(kb, masked)
    variants = [*lemma_texts(masked, reader.korean_words), *([typo_fixed] if typo_fixed is not None else [])]
    spans = _raw_mentions(reader, masked, cuts, blocked, variants)
    polarity = [_polarity(reader, masked, spans, k, cuts) != spans[k].says_absent
                for k in range(len(spans))]
    for k in range(1, len(spans)):
        # "denies cough, fever, night sweats": a list after a denial is denied item by item.
        between = masked[spans[k - 1].end:spans[k].start]
        if (not polarity[k - 1] and polarity[k] and reader.list_gap.fullmatch(between)
                and reader.denial.search(masked[:spans[k - 1].start])):
            polarity[k] = False
    for k in range(len(spans)):
        # "기침 열 식은땀 다 없어요": 다/모두 before the negation takes in the whole clause.
        if polarity[k] and _HANGUL.search(masked[spans[k].start:spans[k].end]):
            end = min(c for c in cuts if c >= spans[k].end)
            rest = masked[spans[k].end:end]
            if reader.all_absent.search(rest) and not reader.pseudo_negation.search(rest):
                polarity[k] = False
    for k in range(len(spans) - 2, -1, -1):
        # "기침이나 콧물은 없어요": both are absent.
        if (polarity[k] and not polarity[k + 1] and _HANGUL.search(clean[spans[k].start:spans[k].end])
                and reader.coordinator.match(clean[spans[k].end:spans[k + 1].start])):
            polarity[k] = False
    said = [
        Mention(sp.finding_id, polarity[k], " ".join(clean[s:e] for s, e in sp.parts),
                sp.start, sp.end, sp.fuzzy)
        for k, sp in enumerate(spans)
    ]
    sentence_cuts = sorted({m.start() for m in _SENTENCE.finditer(clean)} | {len(clean)})
    person, person_spans, pregnancy = person_hint(kb, clean, quantities)
    about_illness = [q for q in quantities if q not in pregnancy]
    along = (person.pregnancy_weeks, pregnancy[0].start, pregnancy[0].end) \
        if pregnancy and person.pregnancy_weeks is not None else None
    mentions = derive(kb, attach(kb, clean, said, about_illness, cuts, sentence_cuts), about_illness,
                      along)
    covered = [p for sp in spans for p in sp.parts]
    covered += [(q.start, q.end) for q in quantities] + person_spans
    return Understanding(text, tuple(mentions), tuple(_leftovers(reader, clean, covered)),
                         person, tuple(quantities))

"""Korean morphology with kiwipiepy: inflected words back to their dictionary stems.

Korean glues endings to stems and changes both as it does ("아프다" is said 아파요, 아팠는데,
아픈데; "붓다" is 부었고). The knowledge base lists synonyms as stems and common forms;
`lemma_texts` rewrites a description with every word as stem + endings ("아팠는데" becomes
"아프었는데"), keeping for each character where it came from, so that the same synonym
matcher can read both the words as typed and the words as stems, and report what it
matched in the words the person typed.

The analyser (about 300 MB and a second to load) is loaded once, on the first Korean text.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

from yakbang.text.variant import Variant

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]")
# Trailing consonants kiwi writes as a separate jamo ("ᆫ" in 아프+ᆫ데).
_JONG_FIRST, _JONG_LAST = 0x11A8, 0x11C2
_SYLLABLE_BASE = 0xAC00
_LOCK = threading.Lock()
# A content word (noun, verb, adjective, adverb, root) that follows a particle, an ending or a
# noun with no space starts a new word.
_CONTENT = ("NNG", "NNP", "NP", "VV", "VA", "MAG", "XR")
_BEFORE_SPACE = ("J", "E", "NNG", "NNP", "NP", "MAG")
# Topic, "also", "only" and object particles after a noun, read as the subject particle.
_TOPIC_OBJECT = ("JX", "JKO")
_TOPIC_OBJECT_FORMS = ("은", "는", "도", "만", "을", "를")


@cache
def analyser() -> Kiwi:
    """The Korean analyser, loaded once per process (kiwipiepy with its bundled model)."""
    from kiwipiepy import Kiwi

    with _LOCK:
        return Kiwi(num_workers=-1, model_type="cong", load_multi_dict=False,
                    load_typo_dict=False)


@functools.lru_cache(maxsize=32)
def _tokens(text: str) -> tuple[Any, ...]:
    return tuple(analyser().tokenize(text))


def clause_ends(text: str, endings: frozenset[str]) -> list[int]:
    """Where a connective ending closes a clause ("아픈데", "있는데", "아프지만") or a final
    ending closes a sentence, as positions in the text; the analyser finds them even when
    fused into a syllable (아프+ᆫ데)."""
    if not endings or not _HANGUL_WORD.search(text):
        return []
    # A sentence-final ending (EF) ends a sentence even with no full stop ("설사하오 물도 ...").
    return [t.start + t.len for t in _tokens(text)
            if (t.tag == "EC" and t.form in endings) or t.tag == "EF"]


def korean_tokens(text: str) -> tuple[Any, ...]:
    """The analyser's tokens (form, tag, start) for a text; none when it has no Korean."""
    return _tokens(text) if _HANGUL_WORD.search(text) else ()


def negators(text: str) -> list[int]:
    """Where the adverb 안 (not) stands, even typed against its verb ("안껴요", "안나와요");
    the analyser tells it from 안 (inside: 안에, 안쪽) and 안경."""
    if not _HANGUL_WORD.search(text):
        return []
    return [t.start for t in _tokens(text) if t.tag == "MAG" and t.form == "안"]


def _has_final(ch: str) -> bool:
    code = ord(ch) - _SYLLABLE_BASE
    return 0 <= code < 11172 and code % 28 != 0


def _jamo(word: str) -> str:
    out = []
    for ch in word:
        code = ord(ch) - _SYLLABLE_BASE
        if not 0 <= code < 11172:
            out.append(ch)
            continue
        out.extend((chr(0x1100 + code // 588), chr(0x1161 + (code % 588) // 28),
                    chr(0x11A7 + code % 28)))
    return "".join(out)


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Korean words the knowledge base uses, by length, for reading typos ("셜사" as 설사)."""

    words: frozenset[str]
    by_length: dict[int, tuple[tuple[str, str], ...]]  # syllables -> (word, its jamo)

    @classmethod
    def of(cls, words: set[str]) -> Vocabulary:
        by_length: dict[int, list[tuple[str, str]]] = {}
        for w in sorted(words):
            by_length.setdefault(len(w), []).append((w, _jamo(w)))
        return cls(frozenset(words), {k: tuple(v) for k, v in by_length.items()})

    def correct(self, word: str) -> str | None:
        """The one known word a single jamo away with the same first sound, if exactly one."""
        if word in self.words or len(word) < 2:
            return None
        jamo = _jamo(word)
        near = [w for w, j in self.by_length.get(len(word), ()) if j[0] == jamo[0]
                and Levenshtein.distance(j, jamo, score_cutoff=1) <= 1]
        if len(near) > 1:  # "기칌": 기침 (a noun the analyser knows) over 기츰 (a spelling)
            near = [w for w in near if _known_noun(w)]
        return near[0] if len(near) == 1 else None


@functools.lru_cache(maxsize=4096)
def _known_noun(word: str) -> bool:
    toks = analyser().tokenize(word)
    return len(toks) == 1 and toks[0].tag.startswith("NN") and not toks[0].oov


def lemma_texts(text: str, vocabulary: Vocabulary | None = None) -> list[Variant]:
    """The text with Korean words as stem + endings, twice: with the particles as said, and
    with topic and object particles as the subject particle ("살도 빠졌어요" read as "살이
    빠지었어요"), since synonyms are mostly written with 이/가. A third writing corrects
    nouns that neither the analyser nor the knowledge base knows, when one known word is a
    single jamo away ("셜사를" as 설사를, "무릅" as 무릎); it is marked as a guess. Empty when
    there is no Korean."""
    if not _HANGUL_WORD.search(text):
        return []
    stems: list[str] = []
    subject: list[str] = []
    fixed: list[str] = []
    guessed: list[tuple[int, int]] = []
    origin: list[int] = []
    pos = 0
    prev_tag = ""
    for tok in _tokens(text):
        start, end = tok.start, tok.start + tok.len
        if start > pos:  # spaces and anything the analyser skipped, as typed
            stems.extend(text[pos:start])
            subject.extend(text[pos:start])
            fixed.extend(text[pos:start])
            origin.extend(range(pos, start))
        elif (stems and stems[-1] != " " and tok.tag.startswith(_CONTENT)
              and prev_tag.startswith(_BEFORE_SPACE)):
            # "숨이차요", "머리아프대요": the space people leave out, put back between words
            stems.append(" ")
            subject.append(" ")
            fixed.append(" ")
            origin.append(start)
        # Stems stay whole: a final consonant ending ("ᆫ" in 아프+ᆫ데) stays a separate jamo.
        form = tok.form if _HANGUL_WORD.search(tok.form) or _is_final(tok.form) else text[start:end]
        alt = form
        if tok.tag in _TOPIC_OBJECT and form in _TOPIC_OBJECT_FORMS and prev_tag.startswith("N") and stems:
            alt = "이" if _has_final(stems[-1]) else "가"
        prev_tag = tok.tag
        for i, ch in enumerate(form):
            stems.append(ch)
            origin.append(min(start + i, max(start, end - 1)))
        subject.extend(alt if len(alt) == len(form) else alt.ljust(len(form), "\u200b"))
        fix = vocabulary.correct(form) if (vocabulary is not None and tok.oov
                                           and tok.tag.startswith("NN")) else None
        if fix is not None and len(fix) == len(form):
            fixed.extend(fix)
            guessed.append((start, end))
        else:
            fixed.extend(form)
        pos = max(pos, end)
    if pos < len(text):
        stems.extend(text[pos:])
        subject.extend(text[pos:])
        fixed.extend(text[pos:])
        origin.extend(range(pos, len(text)))
    out = [Variant("".join(stems), tuple(origin))]
    if subject != stems:
        out.append(Variant("".join(subject).replace("\u200b", ""), _drop_padding(subject, origin)))
    if guessed:
        out.append(Variant("".join(fixed), tuple(origin), tuple(guessed)))
    return out


def _drop_padding(chars: list[str], origin: list[int]) -> tuple[int, ...]:
    return tuple(o for ch, o in zip(chars, origin, strict=True) if ch != "\u200b")


def _is_final(form: str) -> bool:
    return len(form) == 1 and _JONG_FIRST <= ord(form) <= _JONG_LAST

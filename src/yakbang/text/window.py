"""Loose matches: a multi-word synonym whose words occur near each other in one clause.

"pain side groin" matches "pain in his left side that goes to his groin"; "가슴 짓누르"
matches "가슴 한가운데를 짓누르는". English words are compared after stripping common
suffixes; Korean parts are found inside words (substring), since Korean attaches particles
and endings. Function words of the synonym are ignored. The words must all fall within
WINDOW_SLACK extra words of each other, so that a clause about one thing does not match a
synonym about another.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

import snowballstemmer

WINDOW_SLACK = 3
# A one-syllable noun followed by one of these is a verb ("열고", "열어", "배워"), not the noun.
_VERB_ENDINGS = frozenset("고어었면며니서자지")
_WORD = re.compile(r"[a-z][a-z'\-]*|[\uac00-\ud7a3]+")


_SNOWBALL = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem, so that "races" and "racing", "legs" and "leg" meet;
    "itchy" and "itch" too (Snowball leaves "itchi")."""
    if not word.isascii():
        return word
    out: str = _SNOWBALL.stemWord(word)
    return out[:-1] if out.endswith("i") and len(out) > 3 else out


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    stem: str


@dataclass(frozen=True)
class LooseSynonym:
    finding_id: str
    parts: tuple[str, ...]  # English stems, or Korean parts in order
    korean: bool
    slack: int = WINDOW_SLACK


@dataclass(frozen=True)
class WindowMatch:
    finding_id: str
    tokens: tuple[Token, ...]


def tokens_of(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start() + start, m.end() + start, m.group(0), stem(m.group(0)))
            for m in _WORD.finditer(text[start:end])]


def loose_synonyms(phrases: dict[str, str], function_words: frozenset[str],
                   tight: frozenset[str] = frozenset(),
                   exact_only: frozenset[str] = frozenset()) -> list[LooseSynonym]:
    """Multi-word synonyms for loose matching; findings in `tight` (danger signs) get a
    window of one extra word only, since a false danger sign sends a family to hospital.
    A phrase with a word of `exact_only` in it ("not drinking at all") is matched word for
    word only: its neighbours cannot be dropped ("not drinking much" is something else)."""
    out = []
    for phrase, fid in phrases.items():
        words = phrase.split()
        if len(words) < 2 or not exact_only.isdisjoint(words):
            continue  # a phrase with a negation in it ("not drinking at all") is matched exactly
        slack = 1 if fid in tight else WINDOW_SLACK
        if re.search(r"[\uac00-\ud7a3]", phrase):
            out.append(LooseSynonym(fid, tuple(words), True, slack))
        else:
            content = tuple(stem(w) for w in words if w not in function_words)
            if len(content) >= 2:
                out.append(LooseSynonym(fid, content, False, slack))
    return out


def _english_index(synonyms: list[LooseSynonym]) -> dict[str, list[LooseSynonym]]:
    index: dict[str, list[LooseSynonym]] = defaultdict(list)
    for s in synonyms:
        if not s.korean:
            index[s.parts[0]].append(s)
    return index


class WindowMatcher:
    def __init__(self, synonyms: list[LooseSynonym], function_words: frozenset[str]) -> None:
        self._english = _english_index(synonyms)
        self._korean: dict[str, list[LooseSynonym]] = defaultdict(list)  # by first syllable
        for syn in synonyms:
            if syn.korean:
                self._korean[syn.parts[0][0]].append(syn)
        self._function_words = function_words

    def matches(self, text: str, clause: tuple[int, int]) -> list[WindowMatch]:
        # Function words do not count towards the window ("bitten on the foot by a snake").
        toks = [t for t in tokens_of(text, *clause) if t.text not in self._function_words]
        if len(toks) < 2:
            return []
        out = []
        stems: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(toks):
            stems[t.stem].append(i)
        for first in sorted({t.stem for t in toks}):
            for syn in self._english.get(first, ()):
                idx = self._english_span(syn, stems)
                if idx is not None:
                    out.append(WindowMatch(syn.finding_id, tuple(toks[i] for i in idx)))
        clause_text = text[clause[0]:clause[1]]
        firsts = {t.text[0] for t in toks if not t.text.isascii()}
        for syn in (s for first in sorted(firsts) for s in self._korean.get(first, ())):
            if syn.parts[0] not in clause_text or syn.parts[-1] not in clause_text:
                continue
            idx = self._korean_span(syn, toks)
            if idx is not None:
                out.append(WindowMatch(syn.finding_id, tuple(toks[i] for i in idx)))
        return out

    @staticmethod
    def _english_span(syn: LooseSynonym, stems: dict[str, list[int]]) -> list[int] | None:
        if any(p not in stems for p in syn.parts):
            return None
        # Smallest window holding one occurrence of every part (any order).
        best: list[int] | None = None
        for anchor in stems[syn.parts[0]]:
            chosen = [anchor]
            for p in syn.parts[1:]:
                chosen.append(min(stems[p], key=lambda i: abs(i - anchor)))
            if len(set(chosen)) < len(chosen):
                continue
            if max(chosen) - min(chosen) + 1 <= len(chosen) + syn.slack and (
                best is None or max(chosen) - min(chosen) < max(best) - min(best)
            ):
                best = chosen
        return best

    @staticmethod
    def _korean_span(syn: LooseSynonym, toks: list[Token]) -> list[int] | None:
        # Parts in order, each inside a later word, all within the window.
        first = syn.parts[0]
        for i0, t in enumerate(toks):
            if not t.text.startswith(first) or (len(first) == 1 and t.text[1:2] in _VERB_ENDINGS):
                continue  # "열고 나갔어요": 열 here opens a door
            chosen = [i0]
            for part in syn.parts[1:]:
                nxt = next((j for j in range(chosen[-1] + 1, len(toks))
                            if toks[j].text.startswith(part)), None)
                if nxt is None:
                    break
                chosen.append(nxt)
            width = chosen[-1] - chosen[0] + 1
            if len(chosen) == len(syn.parts) and width <= len(chosen) + syn.slack:
                return chosen
        return None

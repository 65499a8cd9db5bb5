"""English typos: a long word the knowledge base does not know, read as the closest word it
does ("diarea" as diarrhea, "stomache" as stomach, "breathlesness" as breathlessness).

Only words of FUZZY_MIN_WORD letters or more are corrected, only towards words used in
synonyms or lexicons, and only when the closest word starts with the same letter and is
very close: a short real word ("cries") is never turned into a finding ("caries").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from yakbang.kb.loader import KnowledgeBase
from yakbang.text.variant import Variant
from yakbang.text.window import stem

# A word must be this long to be read as a typo: 'cries' (5) is a word, not 'caries'.
FUZZY_MIN_WORD = 6
FUZZY_CUTOFF = 86.0
_WORD = re.compile(r"[a-z][a-z'\-]*")


@dataclass(frozen=True, eq=False)
class Speller:
    known: frozenset[str]
    choices: tuple[str, ...]

    def is_known(self, word: str) -> bool:
        return word in self.known or stem(word) in self.known or word.rstrip("s") in self.known

    def best(self, word: str) -> str | None:
        found = process.extractOne(word, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is None or found[0][0] != word[0] or abs(len(found[0]) - len(word)) > 2:
            return None
        return str(found[0])


@cache
def speller(kb: KnowledgeBase) -> Speller:
    words: set[str] = set()
    for f in kb.findings.values():
        for phrase in [f.name.en, *f.synonyms.en]:
            words.update(_WORD.findall(phrase.lower()))
    for lex in kb.lexicons.values():
        for value in lex.model_dump().values():
            items = value.keys() if isinstance(value, dict) else value if isinstance(value, list) else []
            for item in items:
                if isinstance(item, str):
                    words.update(_WORD.findall(item.lower()))
    return Speller(frozenset(words), tuple(sorted(w for w in words if len(w) >= FUZZY_MIN_WORD - 1)))


def corrected(kb: KnowledgeBase, text: str) -> Variant | None:
    """The text with unknown long words replaced by their closest known word (a guess) and
    contractions typed without their apostrophe put right ("cant" as can't); None if none."""
    sp = speller(kb)
    respell = _respellings(kb)
    out: list[str] = []
    origin: list[int] = []
    guessed: list[tuple[int, int]] = []
    changed = False
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        fix = respell.get(word)
        if fix is None:
            if len(word) < FUZZY_MIN_WORD or sp.is_known(word):
                continue
            fix = sp.best(word)
            if fix is None:
                continue
            guessed.append((m.start(), m.end()))
        changed = True
        out.extend(text[pos:m.start()])
        origin.extend(range(pos, m.start()))
        out.extend(fix)
        scale = (len(word) - 1) / max(1, len(fix) - 1)
        origin.extend(m.start() + round(i * scale) for i in range(len(fix)))
        pos = m.end()
    if not changed:
        return None
    out.extend(text[pos:])
    origin.extend(range(pos, len(text)))
    return Variant("".join(out), tuple(origin), tuple(guessed))


@cache
def _respellings(kb: KnowledgeBase) -> dict[str, str]:
    return {k.lower(): v.lower() for lex in kb.lexicons.values() for k, v in lex.respell.items()}

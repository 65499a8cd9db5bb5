"""Korean morphology with kiwipiepy: inflected words back to their dictionary stems.

Korean glues endings to stems and changes both as it does ("아프다" is said 아파요, 아팠는데,
아픈데; "붓다" is 부었고). The knowledge base lists synonyms as stems and common forms;
`lemma_text` rewrites a description with every word as stem + endings ("아팠는데" becomes
"아프었는데"), keeping for each character where it came from, so that the same synonym
matcher can read both the words as typed and the words as stems, and report what it
matched in the words the person typed.

The analyser (about 300 MB and a second to load) is loaded once, on the first Korean text.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import TYPE_CHECKING

from yakbang.text.variant import Variant

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]")
# Trailing consonants kiwi writes as a separate jamo ("ᆫ" in 아프+ᆫ데); they join the
# syllable before them, which has none of its own.
_JONG_FIRST, _JONG_LAST = 0x11A8, 0x11C2
_SYLLABLE_BASE = 0xAC00
_LOCK = threading.Lock()
# A content word (noun, verb, adjective, adverb, root) that follows a particle, an ending or a
# noun with no space starts a new word.
_CONTENT = ("NNG", "NNP", "NP", "VV", "VA", "MAG", "XR")
_BEFORE_SPACE = ("J", "E", "NNG", "NNP", "NP")


@cache
def analyser() -> Kiwi:
    """The Korean analyser, loaded once per process (kiwipiepy with its bundled model)."""
    from kiwipiepy import Kiwi

    with _LOCK:
        return Kiwi(num_workers=-1, model_type="cong", load_multi_dict=False,
                    load_typo_dict=False)


def _join_final(prev: str, jamo: str) -> str | None:
    """'프' + 'ᆫ' -> '픈' when the syllable has no final consonant yet; None otherwise."""
    if not prev:
        return None
    code = ord(prev[-1]) - _SYLLABLE_BASE
    if not (0 <= code < 11172) or code % 28 != 0:
        return None
    return chr(_SYLLABLE_BASE + code + (ord(jamo) - _JONG_FIRST + 1))


def lemma_text(text: str) -> Variant | None:
    """The text with Korean words as stem + endings; None when it has no Korean."""
    if not _HANGUL_WORD.search(text):
        return None
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    prev_tag = ""
    for tok in analyser().tokenize(text):
        start, end = tok.start, tok.start + tok.len
        if start > pos:  # spaces and anything the analyser skipped, as typed
            out.extend(text[pos:start])
            origin.extend(range(pos, start))
        elif out and out[-1] != " " and tok.tag.startswith(_CONTENT) and prev_tag.startswith(_BEFORE_SPACE):
            # "숨이차요", "머리아프대요": the space people leave out, put back between words
            out.append(" ")
            origin.append(start)
        prev_tag = tok.tag
        form = tok.form if _HANGUL_WORD.search(tok.form) or _is_final(tok.form) else text[start:end]
        if _is_final(form) and out:
            joined = _join_final(out[-1], form)
            if joined is not None:
                out[-1] = joined
                pos = max(pos, end)
                continue
        for i, ch in enumerate(form):
            out.append(ch)
            origin.append(min(start + i, max(start, end - 1)))
        pos = max(pos, end)
    if pos < len(text):
        out.extend(text[pos:])
        origin.extend(range(pos, len(text)))
    return Variant("".join(out), tuple(origin))


def _is_final(form: str) -> bool:
    return len(form) == 1 and _JONG_FIRST <= ord(form) <= _JONG_LAST

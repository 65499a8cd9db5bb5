"""Synthetic padding for the benchmark: a name catalogue of 50,000 names, a pill table of 100,000.

The padding names are made-up words in each script, pointing at real entries, so that the
matcher does exactly the work it would do on a catalogue that size. Seeded: every run pads
the same way.
"""

from __future__ import annotations

import random

from yakbang.identify.catalogue import NameIndex, Target, build_index
from yakbang.kb.catalogue import COLOURS, Pill
from yakbang.kb.loader import KnowledgeBase

_LATIN = ["ka", "lo", "pre", "xin", "mo", "ra", "tel", "vo", "zi", "dan", "fen", "mil", "sor", "tri",
          "bu", "gan", "hex", "ol", "am", "cy"]
_CYRILLIC = ["ка", "ло", "пре", "зин", "мо", "ра", "тел", "во", "ди", "дан", "фен", "мил", "сор"]
_HAN = list("阿莫西林氨酚咖敏康泰宁安舒通灵清热解毒胶片颗粒复方新诺明甲硝唑头孢克肟洛芬")
_HANGUL = list("가나다라마바사아자차카타파하레보미쩨찐티놀린신탄")
_KANA = list("アイウエオカキクケコサシスセソタチツテトナニヌネノロキソプ")


def _word(rng: random.Random) -> str:
    script = rng.randrange(5)
    if script == 0:
        return "".join(rng.choice(_LATIN) for _ in range(rng.randint(2, 5)))
    if script == 1:
        return "".join(rng.choice(_CYRILLIC) for _ in range(rng.randint(2, 5)))
    if script == 2:
        return "".join(rng.choice(_HAN) for _ in range(rng.randint(3, 6)))
    if script == 3:
        return "".join(rng.choice(_HANGUL) for _ in range(rng.randint(3, 6)))
    return "".join(rng.choice(_KANA) for _ in range(rng.randint(4, 8)))


def padded_index(kb: KnowledgeBase, names: int = 50_000, seed: int = 6) -> NameIndex:
    """The knowledge base's names plus made-up ones, `names` in all."""
    index = build_index(kb)
    rng = random.Random(seed)
    targets = [Target("product", p, "brand", p) for p in sorted(kb.products)] + [
        Target("substance", s, "en", s) for s in sorted(kb.substances)]
    while len(index.exact) < names:
        index.add(_word(rng), rng.choice(targets))
    return index.freeze()


def padded_pills(kb: KnowledgeBase, rows: int = 100_000, seed: int = 6) -> list[Pill]:
    """The shipped pill table plus made-up rows, `rows` in all."""
    rng = random.Random(seed)
    pills = list(kb.pills.values())
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    base = pills or [Pill.model_validate({
        "id": "pad", "name": "pad", "ingredients": [{"substance": next(iter(kb.substances))}],
        "form": "tablet", "shape": "round", "colours": ["white"], "references": [{"source": "padding"}]})]
    while len(pills) < rows:
        template = rng.choice(base)
        front = "".join(rng.choice(letters) for _ in range(rng.randint(1, 6)))
        back = rng.choice(["", "".join(rng.choice(letters) for _ in range(rng.randint(1, 4)))])
        pills.append(template.model_copy(update={
            "id": f"pad_{len(pills)}", "imprint_front": front, "imprint_back": back,
            "colours": [rng.choice(COLOURS[:10])], "score": rng.randint(0, 2),
            "shape": rng.choice(["round", "oval", "oblong", "capsule", "triangle"])}))
    return pills

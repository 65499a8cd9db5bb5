"""Write pillsets/dev.json: appearance queries with the noise people and cameras add.

Each query starts from a row of the shipped pill table and is read the way a person holding
the tablet would: a character misread (O for 0, l for 1, S for 5, B for 8), a worn or
hidden end, only one side, colour and shape words in Korean, Chinese, Russian or English,
near colours (cream for white) and near shapes (oval for oblong), the score line not given.
Seeded, so the file is the same every time; run it again after the table changes:

    .venv/bin/python scripts/make_pillset.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from yakbang.kb import load_kb

MISREAD = {"0": "O", "O": "0", "1": "l", "I": "1", "l": "1", "5": "S", "S": "5", "8": "B", "B": "8",
           "2": "Z", "Z": "2", "6": "G", "G": "6"}
COLOUR_WORDS = {
    "white": ["white", "흰색", "하얀", "白色", "белый", "off-white", "미색"],
    "yellow": ["yellow", "노란색", "黄色", "желтый"], "orange": ["orange", "주황색", "橙色", "оранжевый"],
    "pink": ["pink", "분홍색", "粉红色", "розовый"], "red": ["red", "빨간색", "红色", "красный"],
    "brown": ["brown", "갈색", "棕色", "коричневый"], "green": ["green", "초록색", "绿色", "зеленый"],
    "blue": ["blue", "파란색", "蓝色", "синий", "하늘색"], "purple": ["purple", "보라색", "紫色"],
    "grey": ["grey", "회색", "灰色"], "black": ["black", "검은색", "黑色"],
    "beige": ["beige", "미색", "米色"],
    "transparent": ["clear", "투명", "透明"],
}
SHAPE_WORDS = {
    "round": ["round", "둥근", "원형", "圆形", "круглый"], "oval": ["oval", "타원형", "椭圆形", "овальный"],
    "oblong": ["oblong", "장방형", "长条形", "продолговатый", "oval"],
    "capsule": ["capsule-shaped", "캡슐형"], "triangle": ["triangle", "삼각형"],
    "square": ["square", "사각형"], "rectangle": ["rectangle", "직사각형"],
    "diamond": ["diamond", "마름모"], "pentagon": ["pentagon", "오각형"], "hexagon": ["hexagon", "육각형"],
    "octagon": ["octagon", "팔각형"], "heart": ["heart", "하트"], "other": [],
}


def misread(text: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(text) if ch in MISREAD]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + MISREAD[text[i]] + text[i + 1:]


def worn(side: str, rng: random.Random) -> str:
    """A worn imprint: the first or the last character gone (only from three or more)."""
    if len(side) <= 2:
        return side
    return side[:-1] if rng.random() < 0.5 else side[1:]


def main() -> None:
    kb = load_kb()
    rng = random.Random(6)
    cases = []
    pills = sorted(kb.pills.values(), key=lambda p: p.id)
    for p in pills:
        front, back = p.imprint_front or "", p.imprint_back or ""
        if not front and not back:
            continue
        kinds = rng.sample(["misread", "one_side", "partial", "words", "both_sides"], 2)
        for kind in kinds:
            noise = [kind]
            if kind == "misread":
                imprint = misread(front or back, rng)
                if back and front and rng.random() < 0.5:
                    imprint = f"{imprint}/{back}"
            elif kind == "one_side":
                imprint = back if back and rng.random() < 0.5 else front
            elif kind == "partial":
                side = front or back
                imprint = worn(side, rng)
            elif kind == "both_sides":
                imprint = f"{front}/{back}" if back else front
            else:
                imprint = front or back
            colour_words = [rng.choice(COLOUR_WORDS[c]) for c in p.colours]
            colour = "/".join(colour_words)
            if any(w in ("off-white", "미색", "하늘색") for w in colour_words):
                noise.append("near_colour")
            shapes = SHAPE_WORDS[p.shape]
            shape = rng.choice(shapes) if shapes and rng.random() < 0.8 else None
            if shape == "oval" and p.shape == "oblong":
                noise.append("near_shape")
            if any(ord(ch) > 127 for ch in colour + (shape or "")):
                noise.append("foreign_words")
            score = p.score if rng.random() < 0.5 else None
            cases.append({"id": f"pill-{len(cases) + 1:03d}",
                          "query": {"imprint": imprint, "colour": colour, "shape": shape, "score": score},
                          "expected": p.id, "noise": noise})
    out = Path(__file__).parent.parent / "pillsets" / "dev.json"
    out.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} queries from {len(pills)} rows -> {out}")


if __name__ == "__main__":
    main()

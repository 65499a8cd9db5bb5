# ruff: noqa: E501 - a table of sentences reads better unwrapped
"""Everything the treatment planner says, in English and Korean, as templates with fields.

The planner returns message keys with values; front ends render them in one language. Keys
are stable (tests and the JSON output use them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yakbang.kb.formulary import Form
from yakbang.types import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # Why an option was not used.
    "not_in_stock": ("not on the shelf (or expired, or none left)",
                     "약장에 없음 (또는 기한이 지났거나 다 떨어짐)"),
    "contra_age": ("not for anyone younger than {min_age}", "{min_age}보다 어린 사람에게는 쓰지 않음"),
    "contra_pregnancy": ("must not be used in pregnancy ({trimester})",
                         "임신 중 ({trimester})에는 쓰면 안 됨"),
    "contra_breastfeeding": ("must not be used while breastfeeding", "젖먹이는 동안에는 쓰면 안 됨"),
    "contra_condition": ("must not be used with {what}", "{what}이(가) 있으면 쓰면 안 됨"),
    "contra_finding": ("must not be used when there is {what}", "{what}이(가) 있을 때는 쓰면 안 됨"),
    "contra_allergy": ("allergy to {what}", "{what}에 알레르기가 있음"),
    "regimen_age": ("this dose is for another age group", "이 용량은 다른 나이의 사람을 위한 것임"),
    "already_taking": ("already taking {product}, which contains {medicine}: do not give it twice",
                       "이미 {medicine}이(가) 든 {product}을(를) 먹고 있음: 두 번 주지 마십시오"),
    "duplicate_plan": ("{medicine} is already given for another reason", "{medicine}은(는) 이미 다른 목적으로 줌"),
    "interaction_avoid": ("must not be taken with {other}: {advice}", "{other}와(과) 함께 먹으면 안 됨: {advice}"),
    "not_lay_use": ("a {form} is given only by a health worker", "{form}은(는) 보건일군만 놓을 수 있음"),
    "no_band": ("no dose is set for {weight} kg", "{weight} kg에 맞는 용량이 정해져 있지 않음"),
    "above_max": ("the dose ({dose}) would be above the maximum ({max})",
                  "용량({dose})이 최대량({max})을 넘음"),
    "window_empty": ("no safe dose fits this weight", "이 몸무게에 맞는 안전한 용량이 없음"),
    "no_strength": ("the strength of this {form} is not known", "이 {form}의 함량을 모름"),
    "liquid_misfit": ("this liquid cannot be measured to a safe dose", "이 물약으로는 안전한 량을 잴 수 없음"),
    "unit_too_big": ("the smallest part of one unit ({part}) is more than the safe dose ({high})",
                     "한 알의 가장 작은 조각({part})도 안전한 량({high})보다 많음"),
    "too_many_units": ("it would need too many tablets per dose", "한 번에 너무 많은 알약을 먹어야 함"),
    "no_lay_form": ("no form of it can be given by a lay person", "일반인이 줄 수 있는 형태가 없음"),
    # Warnings.
    "estimated_weight": ("Weight was not given: estimated from age as {weight} kg (a little below "
                         "average, to stay safe). Weigh the person if you can; the dose may change.",
                         "몸무게를 몰라 나이로 {weight} kg으로 어림했습니다 (안전하게 평균보다 조금 낮게). "
                         "할 수 있으면 몸무게를 재십시오. 용량이 달라질 수 있습니다."),
    "same_ingredient": ("{first} and {second} both contain {medicine}: take only one of them; together "
                        "they can go over the safe daily amount{limit}.",
                        "{first}와(과) {second}에는 둘 다 {medicine}이(가) 들어 있습니다. 하나만 드십시오. "
                        "함께 먹으면 하루 안전량{limit}을 넘을 수 있습니다."),
    "taking_contains": ("{product} already contains {medicine}: do not give more {medicine}{limit}.",
                        "{product}에는 이미 {medicine}이(가) 들어 있습니다. {medicine}을(를) 더 주지 마십시오{limit}."),
    "daily_limit": (" (no more than {max} {unit} a day from all products together)",
                    " (모든 약을 합쳐 하루 {max} {unit} 넘지 않게)"),
    "interaction": ("{first} with {second}: {advice}", "{first}와(과) {second}: {advice}"),
    "caution_pregnancy": ("Use with care in pregnancy ({trimester}); ask a health worker if you can.",
                          "임신 중 ({trimester})에는 조심해서 쓰십시오. 할 수 있으면 보건일군에게 물어보십시오."),
    "caution_breastfeeding": ("Use with care while breastfeeding; watch the baby for sleepiness or rash.",
                              "젖먹이는 동안에는 조심해서 쓰고, 아기가 처지거나 발진이 생기는지 살피십시오."),
    "short_stock": ("Only {have} on the shelf; the full course needs {need}. Get more before it runs out.",
                    "약장에 {have}뿐입니다. 끝까지 먹으려면 {need}가 필요합니다. 떨어지기 전에 더 구하십시오."),
    "fallback": ("The first choice, {first}, was not used: {why}. Using {chosen} instead.",
                 "첫째 약 {first}을(를) 쓰지 않았습니다: {why}. 대신 {chosen}을(를) 씁니다."),
    "nothing_suitable": ("Nothing suitable on the shelf for this. Get {medicine} ({form}).",
                         "이에 맞는 약이 약장에 없습니다. {medicine} ({form})을(를) 구하십시오."),
    "nothing_safe": ("No medicine here can be given safely for this; a health worker must decide.",
                     "이 경우 안전하게 줄 수 있는 약이 없습니다. 보건일군이 정해야 합니다."),
    "no_stock_given": ("No stock list was given: this is what to use if you have it.",
                       "약장 목록이 없어, 있으면 쓸 약을 보여 줍니다."),
    "emergency_only": ("This is an emergency: go now. Give only what is listed for the way.",
                       "응급입니다. 지금 바로 가십시오. 가는 길에 줄 것만 주십시오."),
    "combination_stock": ("{name} is a mixture of several medicines; yakbang does not dose mixtures.",
                          "{name}은(는) 여러 약을 섞은 것이라 약방은 용량을 정하지 않습니다."),
    "expired_stock": ("{name} (line {line}) expired on {expiry}: never give it; return or destroy it safely.",
                      "{name} ({line}째 줄)은 {expiry}에 기한이 지났습니다. 절대 주지 말고 안전하게 버리십시오."),
    "unknown_taking": ("{name} contains ingredients yakbang does not know ({what}).",
                       "{name}에는 약방이 모르는 성분({what})이 들어 있습니다."),
}

SLOT_NAMES = {
    "morning": ("morning", "아침"), "midday": ("midday", "점심"),
    "evening": ("evening", "저녁"), "night": ("night", "자기 전"),
}
TRIMESTER = {1: ("first trimester", "임신 초기"), 2: ("second trimester", "임신 중기"),
             3: ("third trimester", "임신 후기"), 0: ("trimester not known", "임신 주수 모름")}


Value = str | tuple[str, str]  # plain, or (English, Korean)


def pick(value: Value, lang: Lang) -> str:
    if isinstance(value, tuple):
        return value[1] if lang is Lang.KO else value[0]
    return value


@dataclass(frozen=True)
class Message:
    key: str
    values: dict[str, Value] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        en, ko = MESSAGES[self.key]
        template = ko if lang is Lang.KO else en
        return template.format(**{k: pick(v, lang) for k, v in self.values.items()})

    def render_pair(self) -> tuple[str, str]:
        """(English, Korean): to nest one message inside another."""
        return self.render(Lang.EN), self.render(Lang.KO)

    def as_dict(self, lang: Lang) -> dict[str, object]:
        return {"key": self.key, "text": self.render(lang),
                "values": {k: pick(v, lang) for k, v in self.values.items()}}


# Dosage forms and dose units in plain words for the reader (the data keeps English values).
FORM_NAMES: dict[str, tuple[str, str]] = {
    "tablet": ("tablet", "알약"), "dispersible tablet": ("dispersible tablet", "물에 풀어 먹는 알약"),
    "chewable tablet": ("chewable tablet", "씹어 먹는 알약"), "capsule": ("capsule", "캡슐"),
    "syrup": ("syrup", "물약 (시럽)"), "suspension": ("suspension", "물약 (현탁액)"),
    "oral drops": ("oral drops", "먹는 방울약"), "oral solution": ("oral solution", "먹는 물약"),
    "oral powder": ("oral powder", "가루약"), "inhaler": ("inhaler", "흡입기"), "cream": ("cream", "크림"),
    "ointment": ("ointment", "연고"), "gel": ("gel", "겔"), "lotion": ("lotion", "로션"),
    "shampoo": ("shampoo", "샴푸"), "skin solution": ("skin solution", "바르는 물약"),
    "eye ointment": ("eye ointment", "눈 연고"), "eye drops": ("eye drops", "안약"),
    "ear drops": ("ear drops", "귀약"), "pessary": ("pessary", "질정"), "suppository": ("suppository", "좌약"),
    "injection": ("injection", "주사약"),
}
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "tablet": ("tablet", "알"), "capsule": ("capsule", "알"), "sachet": ("sachet", "봉지"),
    "mL": ("mL", "mL"), "puff": ("puff", "번 흡입"), "pessary": ("pessary", "개"),
    "suppository": ("suppository", "개"),
}


def form_words(form: Form, unit: str) -> tuple[str, str]:
    """A form and strength in English and in Korean ("dispersible tablet 100 mg", "물에 풀어 먹는 알약 100 mg")."""
    text = form.describe(unit)
    kind = form.kind.value
    return text, text.replace(kind, FORM_NAMES.get(kind, (kind, kind))[1], 1)

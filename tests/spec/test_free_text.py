"""Issue 5: free text in Korean and English, with the shipped knowledge base and lexicons.

Every word list lives in the knowledge base; these tests pin what its words must do.
"""

from __future__ import annotations

from datetime import date

import pytest

from yakbang.kb import KnowledgeBase
from yakbang.kb.schema import AgeGroup
from yakbang.text import understand
from yakbang.text.quantities import Kind, find_quantities
from yakbang.types import Sex

SUNDAY = date(2026, 11, 29)


def _quantities(kb: KnowledgeBase, text: str) -> list[tuple[str, float]]:
    return [(q.kind.value, round(q.value, 1)) for q in find_quantities(kb, text.lower(), SUNDAY)]


@pytest.mark.parametrize(("text", "expected"), [
    ("fever for three days", [("duration", 3.0)]),
    ("cough x 2 wks", [("duration", 14.0)]),
    ("a fortnight of diarrhoea", [("duration", 14.0)]),
    ("since monday", [("duration", 6.0)]),
    ("since saturday", [("duration", 1.0)]),
    ("since yesterday", [("duration", 1.0)]),
    ("사흘째 열이 나요", [("duration", 3.0)]),
    ("이틀 전부터", [("duration", 2.0)]),
    ("3일째", [("duration", 3.0)]),
    ("닷새 동안", [("duration", 5.0)]),
    ("보름 넘게", [("duration", 15.0)]),
    ("두 주일째", [("duration", 14.0)]),
    ("삼일째 기침", [("duration", 3.0)]),
    ("한달째", [("duration", 30.0)]),
    ("어제부터", [("duration", 1.0)]),
    ("월요일부터", [("duration", 6.0)]),
    ("다섯 번 토했어요", [("count", 5.0)]),
    ("하루에 열 번 넘게 설사", [("count", 10.0)]),
    ("five times a day", [("count", 5.0)]),
    ("twice", [("count", 2.0)]),
    ("39.5", [("temperature", 39.5)]),
    ("103 F", [("temperature", 39.4)]),
    ("temperature of 38", [("temperature", 38.0)]),
    ("열이 39도", [("temperature", 39.0)]),
    ("3도 화상", []),           # a third-degree burn, not a temperature
    ("fever and cough", []),    # "an" + "d" is not one day
    ("my 3-year-old son", [("age", 36.0)]),
    ("세 살 난 아들", [("age", 36.0)]),
    ("8 month old baby", [("age", 8.0)]),
])
def test_numbers_durations_counts_temperatures(kb: KnowledgeBase, text: str,
                                               expected: list[tuple[str, float]]) -> None:
    assert _quantities(kb, text) == expected


def test_counts_say_per_day(kb: KnowledgeBase) -> None:
    [q] = find_quantities(kb, "하루에 다섯 번", SUNDAY)
    assert q.kind is Kind.COUNT and q.per_day


def test_weekdays_need_today(kb: KnowledgeBase) -> None:
    assert find_quantities(kb, "since monday", None) == []


@pytest.mark.parametrize("text", ["배가 아파요", "배가 아프고 열이 나요", "배가 아팠는데 토했어요",
                                  "배가 아픈데", "배가 아픕니다"])
def test_korean_inflections_are_one_finding(kb: KnowledgeBase, text: str) -> None:
    assert "abdominal_pain" in understand(kb, text).present


@pytest.mark.parametrize(("text", "finding"), [
    ("다리가 부었고", "oedema_both_feet"),
    ("가려워요", "itching"),
    ("게웠어요", "vomiting"),
    ("우리 로인이 페염인지 숨이 차요", "shortness_of_breath"),
])
def test_korean_stems_and_north_korean_words(kb: KnowledgeBase, text: str, finding: str) -> None:
    assert finding in understand(kb, text).present


@pytest.mark.parametrize(("text", "absent"), [
    ("열은 없어요", "fever"),
    ("안 토해요", "vomiting"),
    ("설사는 하지 않아요", "diarrhoea"),
    ("기침이나 콧물은 없고요", "cough"),
    ("기침이나 콧물은 없고요", "runny_nose"),
    ("설사는 멎었어요", "diarrhoea"),
    ("no fever", "fever"),
    ("denies chest pain", "chest_pain"),
    ("not vomiting anymore", "vomiting"),
])
def test_negation(kb: KnowledgeBase, text: str, absent: str) -> None:
    u = understand(kb, text)
    assert absent in u.absent and absent not in u.present, u.mentions


@pytest.mark.parametrize(("text", "present"), [
    ("피가 멈추지 않아요", "heavy_bleeding"),
    ("bleeding won't stop", "heavy_bleeding"),
    ("설사가 멎지 않아요", "diarrhoea"),
])
def test_negation_that_means_it_goes_on(kb: KnowledgeBase, text: str, present: str) -> None:
    u = understand(kb, text)
    assert present in u.present and present not in u.absent, u.mentions


def test_unable_to_eat_is_a_finding_not_a_negation(kb: KnowledgeBase) -> None:
    u = understand(kb, "아이가 아무것도 못 먹어요")
    assert u.present and not u.absent, u.mentions


def test_ten_times_is_not_a_fever(kb: KnowledgeBase) -> None:
    u = understand(kb, "설사를 열 번 했어요")
    assert "fever" not in u.present + u.absent
    [m] = [m for m in u.mentions if m.finding_id == "diarrhoea"]
    assert m.qualifiers.times == 10
    assert "frequent_stools" in u.present  # 10 or more a day: the finding's own threshold


def test_fewer_times_never_make_frequent_stools_absent(kb: KnowledgeBase) -> None:
    u = understand(kb, "설사를 다섯 번 했어요")
    assert "frequent_stools" not in u.present + u.absent


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("fever for 10 days", {"fever_7_days"}, {"fever_over_month"}),
    ("fever for 3 days", {"fever"}, {"fever_7_days"}),
    ("열이 사흘째 계속 나요", {"fever"}, {"fever_7_days"}),
    ("cough for 3 weeks", {"cough_2_weeks"}, set()),
    ("기침을 한 달째 해요", {"cough_2_weeks"}, set()),
    ("diarrhoea since yesterday", {"diarrhoea"}, {"diarrhoea_14_days"}),
    ("temperature 39.5, vomiting", {"fever", "high_fever", "vomiting"}, set()),
    ("103 F", {"high_fever"}, set()),
    ("temp 36.8, vomiting", {"vomiting"}, {"fever"}),
])
def test_numbers_imply_findings(kb: KnowledgeBase, text: str, present: set[str],
                                absent: set[str]) -> None:
    u = understand(kb, text, SUNDAY)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions
    assert not set(u.present) & set(u.absent)


def test_a_fever_felt_counts_whatever_the_thermometer(kb: KnowledgeBase) -> None:
    """IMCI: fever by history counts; a later normal reading does not remove it."""
    u = understand(kb, "she had a fever last night, 37.0 this morning")
    assert "fever" in u.present


def test_qualifiers_are_attached_to_their_finding(kb: KnowledgeBase) -> None:
    u = understand(kb, "cough for 3 weeks and fever for 2 days, suddenly severe chest pain", SUNDAY)
    q = {m.finding_id: m.qualifiers for m in u.mentions if not m.derived}
    assert q["cough_2_weeks"].days == 21
    assert q["fever"].days == 2
    assert q["chest_pain"].onset == "sudden" and q["chest_pain"].severity == "severe"
    assert "chest" in q["chest_pain"].sites


@pytest.mark.parametrize(("text", "sex", "months", "group"), [
    ("my 3-year-old son has a cough", Sex.MALE, 36, AgeGroup.CHILD),
    ("우리 할머니가 기침을 해요", Sex.FEMALE, None, AgeGroup.ELDER),
    ("아기가 열이 나요", None, None, AgeGroup.BABY),
    ("my husband, 45, has a cough", Sex.MALE, 540, AgeGroup.ADULT),
    ("세 살 난 딸이 토해요", Sex.FEMALE, 36, AgeGroup.CHILD),
    ("she has a cough", Sex.FEMALE, None, None),
])
def test_who_is_ill(kb: KnowledgeBase, text: str, sex: Sex | None, months: int | None,
                    group: AgeGroup | None) -> None:
    p = understand(kb, text).person
    assert (p.sex, p.age_months, p.group) == (sex, months, group)


def test_pregnancy_is_how_far_along_not_an_age(kb: KnowledgeBase) -> None:
    p = understand(kb, "임신 7개월 된 며느리가 얼굴이 부었어요").person
    assert p.pregnant and p.pregnancy_weeks == 30 and p.age_months is None and p.sex is Sex.FEMALE


def test_typos_are_read_and_marked_as_guesses(kb: KnowledgeBase) -> None:
    u = understand(kb, "diarea and vomitting")
    assert {"diarrhoea", "vomiting"} <= set(u.present)
    assert any(m.fuzzy for m in u.mentions if m.finding_id == "diarrhoea")


def test_a_short_real_word_is_not_a_typo(kb: KnowledgeBase) -> None:
    assert understand(kb, "he cries").present in ([], ["restless_irritable"], ["crying"])


def test_what_was_not_understood_is_said(kb: KnowledgeBase) -> None:
    u = understand(kb, "fever for 3 days and he feels heavy", SUNDAY)
    assert "heavy" in " ".join(u.not_understood)
    assert "fever" not in " ".join(u.not_understood)


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("BP 190/120 this morning", {"very_high_bp_reading"}, set()),
    ("어머니 혈압이 190에 110 나왔어요", {"very_high_bp_reading"}, set()),
    ("bp 130/80, headache", {"headache"}, {"very_high_bp_reading"}),
    ("she is 38 weeks pregnant", {"pregnancy_37_weeks"}, set()),
    ("임신 7개월인데 배가 아파요", {"abdominal_pain"}, {"pregnancy_37_weeks"}),
    ("suddenly confused since this morning", {"confusion_sudden"}, set()),
    ("terrible belly pain", {"severe_abdominal_pain"}, set()),
])
def test_readings_and_manner_imply_findings(kb: KnowledgeBase, text: str, present: set[str],
                                            absent: set[str]) -> None:
    u = understand(kb, text, SUNDAY)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions


def test_everyday_very_is_not_severe(kb: KnowledgeBase) -> None:
    """"배가 너무 아파요" is how Koreans say it hurts; it is not the danger sign."""
    assert "severe_abdominal_pain" not in understand(kb, "배가 너무 아파요").present


@pytest.mark.parametrize("text", ["contractions every 5 minutes", "배가 10분마다 뭉쳐요"])
def test_every_n_minutes_is_not_how_long(kb: KnowledgeBase, text: str) -> None:
    u = understand(kb, text)
    assert [q.kind for q in u.quantities] == [Kind.INTERVAL]
    assert all(m.qualifiers.days is None for m in u.mentions)


def test_how_far_along_takes_only_the_nearest_number(kb: KnowledgeBase) -> None:
    u = understand(kb, "임신 일곱 달인데 두어 시간 전부터 배가 뭉쳐요")
    assert u.person.pregnancy_weeks == 30
    assert any(m.qualifiers.days == pytest.approx(2 / 24, abs=0.01) for m in u.mentions)


def test_korean_without_spaces_and_other_particles(kb: KnowledgeBase) -> None:
    assert "shortness_of_breath" in understand(kb, "숨이차요").present
    assert "weight_loss" in understand(kb, "살도 쭉 빠졌어요").present


@pytest.mark.parametrize(("text", "finding"), [("셜사를 했어요", "diarrhoea"), ("기칌을 해요", "cough"),
                                               ("무릅이 아파요", "joint_pain")])
def test_korean_typos_are_read_and_marked_as_guesses(kb: KnowledgeBase, text: str, finding: str) -> None:
    u = understand(kb, text)
    assert finding in u.present and any(m.fuzzy for m in u.mentions if m.finding_id == finding)


@pytest.mark.parametrize("text", ["커피를 마셨어요", "감자를 먹었어요"])
def test_real_korean_words_are_not_typos(kb: KnowledgeBase, text: str) -> None:
    """커피 (coffee) is one jamo from 코피 (nosebleed), but the analyser knows it."""
    assert understand(kb, text).present == []


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("baby feels hot, feeding ok", set(), {"unable_to_drink", "not_feeding_well"}),
    ("she is not feeding well", {"not_feeding_well"}, set()),
    ("temperature normal, cough", {"cough"}, {"fever"}),
    ("태동은 잘 해요", set(), {"reduced_fetal_movement"}),
    ("설사를 해요. 피는 안 섞였어요", {"diarrhoea"}, {"blood_in_stool"}),
    ("귀에서 고름이 나와요. 아프다고는 안 해요", {"ear_discharge"}, {"ear_pain"}),
    ("cough with blood", {"coughing_blood"}, set()),
])
def test_absence_in_plain_words_and_words_in_context(kb: KnowledgeBase, text: str, present: set[str],
                                                     absent: set[str]) -> None:
    u = understand(kb, text)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions


@pytest.mark.parametrize("text", ["이틀에 한 번씩 열이 나요", "fever every 2 days"])
def test_every_other_day_is_not_how_long(kb: KnowledgeBase, text: str) -> None:
    u = understand(kb, text)
    assert any(f == "fever" or kb.findings[f].parent == "fever" for f in u.present), u.mentions
    assert "fever_7_days" not in u.absent


@pytest.mark.parametrize(("text", "finding"), [
    ("my boy had a fit this morning, now awake and playing", "short_fit_now_awake"),
    ("sore on his penis, it does not hurt", "painless_genital_ulcer"),
    ("숨이 차요. 계단만 올라가도", "breathless_on_exertion"),
    ("coughs every morning with phlegm for years", "cough_2_weeks"),
])
def test_words_that_make_a_finding_more_exact(kb: KnowledgeBase, text: str, finding: str) -> None:
    assert finding in understand(kb, text).present


@pytest.mark.parametrize(("text", "not_read"), [("양치질할 때 잇몸에서 피가 나요", "anal_bleeding_lump"),
                                                ("장마당에서 산 순대를 먹었어요", "flood_water_contact")])
def test_a_korean_word_inside_another_is_not_it(kb: KnowledgeBase, text: str, not_read: str) -> None:
    u = understand(kb, text)
    assert not_read not in u.present + u.absent


def test_korean_typed_without_spaces(kb: KnowledgeBase) -> None:
    assert "chest_pain" in understand(kb, "왼쪽가슴이아파요").present


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("발가락 상처가 낫지 않아요", {"foot_sore_not_healing"}, set()),
    ("맥이 고르지 않아요", {"irregular_heartbeat"}, set()),
    ("눈이 노래지지 않았어요", set(), {"jaundice"}),
])
def test_a_korean_finding_that_is_itself_a_negation(kb: KnowledgeBase, text: str, present: set[str],
                                                    absent: set[str]) -> None:
    u = understand(kb, text)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions


@pytest.mark.parametrize(("text", "sex", "months"), [
    ("일흔 넘은 아버지가 기침을 해요", Sex.MALE, 840),
    ("칠십 된 할아버지인데 오줌 줄기가 약해요", Sex.MALE, 840),
    ("돌쟁이 아들이 설사를 해요", Sex.MALE, 12),
    ("생후 보름 된 애기가 노래요", None, 0),
    ("aged 45, chest pain", None, 540),
])
def test_korean_ages_and_age_words(kb: KnowledgeBase, text: str, sex: Sex | None, months: int) -> None:
    p = understand(kb, text).person
    assert (p.sex, p.age_months) == (sex, months)


@pytest.mark.parametrize("text", ["열 명이 모였어요", "열 시에 왔어요", "열 개를 샀어요"])
def test_ten_things_is_not_a_fever(kb: KnowledgeBase, text: str) -> None:
    assert "fever" not in understand(kb, text).present


def test_a_number_of_tablets_still_says_overdose(kb: KnowledgeBase) -> None:
    assert "swallowed_overdose" in understand(kb, "알약을 열 알 먹었어요").present


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("눈곱은 안껴요", set(), {"eye_discharge"}),          # 안 typed against its verb
    ("열이 안나요", set(), {"fever"}),
    ("배꼽은 안 빨갛고 깨끗해요", set(), {"umbilical_redness"}),  # the 안 is about 빨갛고
    ("태동은 안 줄고 멀쩡해요", set(), {"reduced_fetal_movement"}),
    ("약을 먹어도 설사가 안 나아요", {"diarrhoea"}, set()),  # not getting better
    ("애 낳은지 열흘인데 피가 나요", {"recently_gave_birth"}, set()),
])
def test_korean_negation_corner_cases(kb: KnowledgeBase, text: str, present: set[str],
                                      absent: set[str]) -> None:
    u = understand(kb, text)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions
    assert "fever" not in u.present or "열이" in text


def test_anjeong_and_glasses_are_not_negations(kb: KnowledgeBase) -> None:
    assert "eye_pain_vision_loss" in understand(kb, "안경을 썼는데 눈이 아파요").present


def test_a_plain_finding_gives_way_to_the_one_its_context_means(kb: KnowledgeBase) -> None:
    u = understand(kb, "head injury yesterday. he passed out")
    assert "lost_consciousness_after_injury" in u.present and "fainting" not in u.present
    assert "fainting" in understand(kb, "he passed out at church").present


@pytest.mark.parametrize(("text", "present", "not_read"), [
    ("he has hives", {"hives"}, "known_hiv"),            # "hiv" + "es" is not "hives"
    ("가슴이 두근두근해요", {"palpitations"}, "fever"),     # 두근 is not two 근
    ("lost 5 kg this year", {"weight_loss"}, "fever"),    # a number inside a synonym
    ("토하거나 열나는건 없어요", set(), "vomiting_blood"),
])
def test_numbers_and_endings_do_not_make_findings(kb: KnowledgeBase, text: str, present: set[str],
                                                 not_read: str) -> None:
    u = understand(kb, text)
    assert present <= set(u.present) and not_read not in u.present, u.mentions


def test_or_shares_the_negation(kb: KnowledgeBase) -> None:
    assert {"vomiting", "fever"} <= set(understand(kb, "토하거나 열나는건 없어요").absent)


def test_a_korean_sentence_ends_at_its_final_ending_without_a_full_stop(kb: KnowledgeBase) -> None:
    u = understand(kb, "게우고 설사하오 물도 안 마시오")
    assert {"vomiting", "diarrhoea", "unable_to_drink"} <= set(u.present)


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("denies cough, fever, night sweats", set(), {"cough", "fever", "night_sweats"}),
    ("no cough, fever for 3 days", {"fever"}, {"cough"}),   # a plain "no" does not run on
    ("기침 열 식은땀 다 없어요", set(), {"cough", "fever"}),
    ("밥도 잘 못 먹어요", {"loss_of_appetite"}, set()),     # not "잘 먹어요"
    ("chest pain denied", set(), {"chest_pain"}),
])
def test_lists_and_inabilities(kb: KnowledgeBase, text: str, present: set[str], absent: set[str]) -> None:
    u = understand(kb, text)
    assert present <= set(u.present) and absent <= set(u.absent), u.mentions


def test_opening_a_door_is_not_a_fever(kb: KnowledgeBase) -> None:
    assert "fever" not in understand(kb, "문을 열고 나갔어요").present
    assert "fever" in understand(kb, "열이 나요").present


@pytest.mark.parametrize(("text", "present"), [
    ("피가 철철 나고 멎지를 않소", "heavy_bleeding"),   # does not stop: goes on
    ("밤새 울적해요", "low_mood"),                     # 울적 is not crying
])
def test_more_korean_that_looks_negated_or_is_not_what_it_starts_with(kb: KnowledgeBase, text: str,
                                                                       present: str) -> None:
    assert present in understand(kb, text).present


def test_a_mothers_diabetes_medicine_is_not_an_overdose(kb: KnowledgeBase) -> None:
    assert "swallowed_overdose" not in understand(kb, "엄마가 당뇨약을 먹는데").present


def test_a_korean_negation_of_a_noun_said_between(kb: KnowledgeBase) -> None:
    """"토하고 똥을 안 눠요": the 안 is about 똥 (no stool), not about the vomiting."""
    u = understand(kb, "토하고 똥을 안 눠요")
    assert "vomiting" in u.present
    assert "cough" in understand(kb, "기침은 요즘 없어요").absent  # 요즘 is only a time word


@pytest.mark.parametrize(("text", "present"), [
    ("열이 나서 아기는 업고 왔어요", "fever"),          # 업고: carried on the back
    ("목소리가 쉬어서 3주째 안 돌아와요", "hoarse_voice"),  # has not come back
    ("오줌 줄기가 약하고 눠도 시원치 않아요", "weak_urine_stream"),
])
def test_korean_that_only_looks_like_a_negation(kb: KnowledgeBase, text: str, present: str) -> None:
    assert present in understand(kb, text).present


@pytest.mark.parametrize(("text", "finding"), [("he cant catch his breath", "shortness_of_breath"),
                                               ("baby wont feed", "not_feeding_well")])
def test_contractions_without_the_apostrophe(kb: KnowledgeBase, text: str, finding: str) -> None:
    assert finding in understand(kb, text).present

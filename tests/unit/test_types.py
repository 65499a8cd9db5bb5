import pytest

from yakbang.errors import InvalidPatient, UnsupportedLanguage
from yakbang.types import ICD10, Age, AgeBand, Lang, Patient, Sex, Triage, Urgency


@pytest.mark.parametrize(
    ("years", "months"), [(0, 0), (0.5, 6), (0.02, 0), (1, 12), (3.9, 46), (18, 216), (120, 1440)]
)
def test_age_from_years(years: float, months: int) -> None:
    assert Age.from_years(years).months == months


@pytest.mark.parametrize("years", [-1, -0.1, 120.5, 200, float("nan")])
def test_impossible_ages_are_refused(years: float) -> None:
    with pytest.raises(InvalidPatient):
        Age.from_years(years)


@pytest.mark.parametrize(
    ("months", "band"),
    [(0, AgeBand.UNDER_2M), (1, AgeBand.UNDER_2M), (2, AgeBand.M2_59), (59, AgeBand.M2_59),
     (60, AgeBand.Y5_14), (179, AgeBand.Y5_14), (180, AgeBand.Y15_64), (779, AgeBand.Y15_64),
     (780, AgeBand.Y65_PLUS)],
)
def test_age_bands_follow_imci_and_who_splits(months: int, band: AgeBand) -> None:
    assert Age(months).band is band


def test_pregnant_male_is_refused() -> None:
    with pytest.raises(InvalidPatient, match="male"):
        Patient(Age(300), Sex.MALE, pregnant=True)


def test_pregnant_child_is_refused() -> None:
    with pytest.raises(InvalidPatient):
        Patient(Age(36), Sex.FEMALE, pregnant=True)


@pytest.mark.parametrize(("code", "other", "match"), [
    ("J02", "J02.0", True), ("J02.0", "J02", True), ("J02.0", "J020", True),
    ("J02.0", "J03", False), ("A00.9", "A0", True), ("J18.9", "J18.1", False),
])
def test_icd10_prefix_matching(code: str, other: str, match: bool) -> None:
    assert ICD10(code).matches(other) is match


@pytest.mark.parametrize("bad", ["j18", "J1", "18.9", "JJ18", ""])
def test_icd10_shape_is_checked(bad: str) -> None:
    with pytest.raises(ValueError):
        ICD10(bad)


def test_urgency_maps_to_three_triage_levels() -> None:
    assert Urgency.EMERGENCY.triage is Triage.EMERGENCY
    assert Urgency.URGENT.triage is Triage.NON_EMERGENCY
    assert Urgency.ROUTINE.triage is Triage.NON_EMERGENCY
    assert Urgency.SELF_CARE.triage is Triage.SELF_CARE


def test_languages_and_sexes_parse_with_clear_errors() -> None:
    assert Lang.parse(" KO ") is Lang.KO
    assert Sex.parse("여") is Sex.FEMALE
    with pytest.raises(UnsupportedLanguage, match="fr"):
        Lang.parse("fr")
    with pytest.raises(InvalidPatient):
        Sex.parse("x")

"""Issue 4 examples and WHO/IMCI dosing tables, each case citing its table."""

from __future__ import annotations

from datetime import date

import pytest

from yakbang.kb import load_kb
from yakbang.treatment import TreatmentInput, TreatmentResult, compute_dose, plan_treatment, resolve_many
from yakbang.treatment.stock import read_stock
from yakbang.types import Age, Patient, Sex, Urgency

KB = load_kb()
TODAY = date(2026, 11, 29)
HEADER = "medicine,form,strength,quantity,expiry\n"


def dose_of(medicine: str, regimen: str, kind: str, strength: float, weight: float,
            months: int) -> tuple[float, float]:
    """(units, amount) of one product for one person."""
    med = KB.medicines[medicine]
    reg = med.regimen(regimen)
    assert reg is not None
    form = next(f for f in med.forms if f.kind.value == kind and f.strength == strength)
    d = compute_dose(med, reg, form, weight, months)
    assert not hasattr(d, "reason"), d
    return d.units, d.amount  # type: ignore[union-attr]


def plan(condition: str, months: int, sex: Sex = Sex.FEMALE, *, weight: float | None = None,
         pregnant: bool = False, stock: str | None = None, taking: str | None = None,
         present: frozenset[str] = frozenset()) -> TreatmentResult:
    inp = TreatmentInput(Patient(Age(months), sex, pregnant), weight_kg=weight, present=present,
                         taking=tuple(resolve_many(KB, taking)))
    shelf = read_stock(KB, HEADER + stock) if stock is not None else None
    return plan_treatment(KB, condition, Urgency.URGENT, inp, shelf, TODAY)


# WHO 2014 revised pneumonia guideline: amoxicillin 40 mg/kg/dose twice daily, 5 days;
# 250 mg dispersible tablets (scored).
@pytest.mark.parametrize(("weight", "tablets"), [(6, 1.0), (10, 1.5), (12, 2.0), (16, 2.5), (19, 3.0)])
def test_amoxicillin_pneumonia_by_weight(weight: float, tablets: float) -> None:
    units, amount = dose_of("amoxicillin", "pneumonia_child", "dispersible tablet", 250, weight, 24)
    assert units == tablets
    assert 35 <= amount / weight <= 50


def test_issue_example_12_kg_pneumonia_amoxicillin_dt() -> None:
    r = plan("pneumonia", 18, Sex.MALE, weight=12,
             stock="amoxicillin,dispersible tablet,250 mg,100,2027-06-30\n")
    choice = next(s.choice for s in r.steps if s.step == "antibiotic")
    assert choice is not None and choice.medicine == "amoxicillin" and choice.from_stock
    assert choice.dose is not None
    assert (choice.dose.units, choice.dose.times_per_day, choice.dose.days) == (2, 2, 5)


# IMCI Chart Booklet 2014, "Give zinc supplements": 2-6 months 1/2 tablet (10 mg), 6 months or
# more 1 tablet (20 mg), daily for 10 days.
@pytest.mark.parametrize(("months", "weight", "tablets"), [(3, 5.5, 0.5), (5, 6.5, 0.5), (6, 7.0, 1.0),
                                                          (30, 12.0, 1.0)])
def test_zinc_by_age(months: int, weight: float, tablets: float) -> None:
    units, _ = dose_of("zinc_sulfate", "diarrhoea_child", "dispersible tablet", 20, weight, months)
    assert units == tablets
    assert KB.medicines["zinc_sulfate"].regimen("diarrhoea_child").days in (10, 14)  # type: ignore[union-attr]


# IMCI Plan A: after each loose stool, up to 2 years 50-100 mL, 2 up to 10 years 100-200 mL.
@pytest.mark.parametrize(("months", "weight", "low", "high"), [(8, 8.0, 50, 100), (23, 11.0, 50, 100),
                                                              (36, 14.0, 100, 200), (100, 25.0, 100, 200)])
def test_ors_plan_a_by_age(months: int, weight: float, low: float, high: float) -> None:
    med = KB.medicines["oral_rehydration_salts"]
    reg = med.regimen("plan_a")
    assert reg is not None and reg.schedule == "per_event"
    form = next(f for f in med.forms if f.kind.value == "oral powder")
    d = compute_dose(med, reg, form, weight, months)
    assert low <= d.amount <= high  # type: ignore[union-attr]


# IMCI 2014 "Give paracetamol": 10-15 mg/kg every 6 hours; 100 mg tablet 1 for 4-<14 kg.
@pytest.mark.parametrize("weight", [5.0, 8.0, 11.0, 13.5])
def test_paracetamol_100_mg_tablet_small_children(weight: float) -> None:
    units, amount = dose_of("paracetamol", "fever_pain", "tablet", 100, weight, 12)
    assert 10 <= amount / weight <= 15
    assert units in (0.5, 1.0, 1.5, 2.0)


# WHO malaria guidelines 2023: artemether-lumefantrine 20/120 mg, twice daily for 3 days:
# 5-<15 kg 1 tablet, 15-<25 kg 2, 25-<35 kg 3, 35 kg or more 4.
@pytest.mark.parametrize(("weight", "months", "tablets"), [(6, 8, 1), (14.9, 40, 1), (15, 48, 2), (24, 84, 2),
                                                          (30, 120, 3), (60, 400, 4)])
def test_artemether_lumefantrine_by_weight_band(weight: float, months: int, tablets: int) -> None:
    units, _ = dose_of("artemether_lumefantrine", "malaria", "tablet", 20, weight, months)
    assert units == tablets


# WHO malaria guidelines 2023: chloroquine 10 mg base/kg days 1 and 2, 5 mg/kg day 3.
def test_chloroquine_course_changes_by_day() -> None:
    med = KB.medicines["chloroquine"]
    reg = med.regimen("malaria_vivax")
    assert reg is not None
    form = next(f for f in med.forms if f.strength == 150)
    d = compute_dose(med, reg, form, 60.0, 400)
    assert d.day_units == (4.0, 4.0, 2.0)  # type: ignore[union-attr]


def test_pregnant_cystitis_never_doxycycline_or_ciprofloxacin() -> None:
    shelf = ("doxycycline,capsule,100 mg,50,2028-01-01\nciprofloxacin,tablet,500 mg,50,2028-01-01\n")
    r = plan("cystitis", 26 * 12, pregnant=True, weight=60, stock=shelf)
    given = {c.medicine for c in r.given}
    assert not given & {"doxycycline", "ciprofloxacin"}
    full = plan("cystitis", 26 * 12, pregnant=True, weight=60)
    assert full.given and not {c.medicine for c in full.given} & {"doxycycline", "ciprofloxacin"}


def test_cold_gets_no_antibiotic_at_any_age() -> None:
    for months in (3, 30, 120, 400, 900):
        r = plan("common_cold", months, present=frozenset({"fever"}))
        assert not any(KB.medicines[c.medicine].antibiotic for c in r.given)
        assert r.no_antibiotic is not None


@pytest.mark.parametrize("product", ["感冒灵", "타이레놀", "цитрамон"])
def test_already_taking_paracetamol_product_is_warned_and_not_given_more(product: str) -> None:
    r = plan("influenza", 30 * 12, weight=60, taking=product, present=frozenset({"fever"}))
    assert "paracetamol" not in {c.medicine for c in r.given}
    assert any(w.key == "taking_contains" and "paracetamol" in str(w.values).lower() for w in r.warnings)


def test_two_paracetamol_products_are_flagged_together() -> None:
    r = plan("common_cold", 30 * 12, weight=60, taking="感冒灵, 타이레놀")
    assert any(w.key == "same_ingredient" for w in r.warnings)


def test_first_choice_missing_uses_next_and_says_why() -> None:
    r = plan("pneumonia", 40 * 12, Sex.MALE, weight=65, stock="paracetamol,tablet,500 mg,20,2028-01-01\n")
    step = next(s for s in r.steps if s.step == "antibiotic")
    assert step.choice is None and step.get is not None and step.get[0] == "amoxicillin"
    assert step.message is not None and step.message.key == "nothing_suitable"

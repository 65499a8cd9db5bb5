"""Safety properties of treatment advice for any person, any condition, any shelf.

For random patients (age 0-100, a plausible weight, sex, pregnancy, breastfeeding, allergies)
x every condition x a random shelf x random medicines already taken, nothing recommended may
exceed a maximum per dose or per day, be contraindicated, duplicate an ingredient, interact
badly, or come from something that is not on the shelf and usable. 10,000 examples.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yakbang.kb import load_kb
from yakbang.kb.formulary import Medicine
from yakbang.treatment import Stock, StockItem, TreatmentInput, TreatmentResult, plan_treatment
from yakbang.treatment.names import Resolved, name_index
from yakbang.treatment.weight import plausible_range
from yakbang.types import Age, Patient, Sex, Urgency

KB = load_kb()
TODAY = date(2026, 11, 29)
CONDITIONS = sorted(KB.conditions)
MEDICINES = sorted(KB.medicines)
FINDINGS = sorted(KB.findings)
CLASSES = sorted({c for m in KB.medicines.values() for c in m.classes})
PRODUCTS = sorted(KB.products)
EPS = 1e-6
# Every (medicine, form) a shelf could hold, from the formulary.
SHELF = [(m.id, f) for m in KB.medicines.values() for f in m.forms]


@st.composite
def inputs(draw: st.DrawFn) -> TreatmentInput:
    months = draw(st.integers(min_value=0, max_value=100 * 12))
    age = Age(months)
    sex = draw(st.sampled_from(list(Sex)))
    fertile = sex is Sex.FEMALE and 12 * 12 <= months <= 50 * 12
    pregnant = fertile and draw(st.booleans())
    low, high = plausible_range(age)
    weight = draw(st.one_of(st.none(), st.floats(min_value=low, max_value=high)))
    taking = [_resolve_product(p) for p in draw(st.lists(st.sampled_from(PRODUCTS), max_size=2))]
    taking += [Resolved(m, (m,)) for m in draw(st.lists(st.sampled_from(MEDICINES), max_size=2))]
    return TreatmentInput(
        patient=Patient(age, sex, pregnant),
        weight_kg=weight,
        pregnancy_weeks=draw(st.one_of(st.none(), st.integers(1, 42))) if pregnant else None,
        breastfeeding=fertile and not pregnant and draw(st.booleans()),
        allergies=frozenset(draw(st.lists(st.sampled_from(CLASSES + MEDICINES), max_size=2))),
        known_conditions=frozenset(draw(st.lists(st.sampled_from(CONDITIONS), max_size=2))),
        present=frozenset(draw(st.lists(st.sampled_from(FINDINGS), max_size=6))),
        taking=tuple(taking),
    )


def _resolve_product(pid: str) -> Resolved:
    return name_index(KB).resolve(KB, KB.products[pid].name.en)


@st.composite
def shelves(draw: st.DrawFn) -> Stock | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None  # no stock list: the formulary's forms
    picks = draw(st.lists(st.sampled_from(range(len(SHELF))), max_size=25, unique=True))
    items = []
    for line, i in enumerate(picks, start=2):
        med, form = SHELF[i]
        qty = draw(st.sampled_from([0, 1, 10, 100, 1000]))
        expiry = TODAY + timedelta(days=draw(st.integers(-400, 900)))
        items.append(StockItem(med, form, float(qty), expiry, line, med))
    return Stock(tuple(items))


def _weight(inp: TreatmentInput, result: TreatmentResult) -> float:
    return inp.weight_kg if inp.weight_kg is not None else result.weight_kg


def _trimester_level(med: Medicine, inp: TreatmentInput) -> str:
    levels = [med.contraindications.pregnancy.first, med.contraindications.pregnancy.second,
              med.contraindications.pregnancy.third]
    w = inp.pregnancy_weeks
    if w is None:
        return "avoid" if "avoid" in levels else "other"
    return levels[0 if w < 14 else 1 if w < 28 else 2]


@settings(max_examples=10_000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inp=inputs(), condition=st.sampled_from(CONDITIONS), stock=shelves(),
       urgency=st.sampled_from(list(Urgency)))
def test_treatment_is_always_safe(inp: TreatmentInput, condition: str, stock: Stock | None,
                                  urgency: Urgency) -> None:
    result = plan_treatment(KB, condition, urgency, inp, stock, TODAY)
    weight = _weight(inp, result)
    months = inp.patient.age.months
    taken = {m for r in inp.taking for m in r.medicines}
    given_ids = [c.medicine for c in result.given]
    assert len(given_ids) == len(set(given_ids)), "an ingredient recommended twice"
    assert not set(given_ids) & taken, "recommended what the person already takes"
    for choice in result.given:
        med = KB.medicines[choice.medicine]
        regimen = med.regimen(choice.regimen)
        assert regimen is not None and med.recommend
        assert regimen.ages.contains(months)
        ci = med.contraindications
        # Contraindications.
        assert ci.min_age_months is None or months >= ci.min_age_months
        if inp.patient.pregnant:
            assert _trimester_level(med, inp) != "avoid"
        if inp.breastfeeding:
            assert ci.breastfeeding != "avoid"
        assert condition not in ci.conditions and not inp.known_conditions & set(ci.conditions)
        assert not inp.present & set(ci.findings)
        assert not inp.allergies & {med.id, *med.classes}
        # Interactions to avoid, with what is taken or also recommended.
        others = [KB.medicines[m] for m in taken | set(given_ids) if m != med.id and m in KB.medicines]
        for other in others:
            for a, b in ((med, other), (other, med)):
                for ix in a.interactions:
                    target = ix.with_
                    hit = (target.removeprefix("class:") in b.classes if target.startswith("class:")
                           else target == b.id)
                    assert not (hit and ix.severity == "avoid"), f"{a.id} with {b.id}"
        # On the shelf, usable, in a form a lay person can give.
        assert choice.form.lay_use
        if stock is not None:
            assert choice.from_stock
            item = next(i for i in stock.items if i.line == choice.stock_line)
            assert item.medicine == med.id and item.form == choice.form
            assert item.quantity > 0 and item.expiry >= TODAY
        if choice.dose is None:
            assert regimen.applied
            continue
        d = choice.dose
        # Units that exist: scored parts of a tablet, 0.5 mL of a liquid.
        per_unit = choice.form.per_unit
        if choice.form.kind.category in ("solid", "inhaler"):
            assert per_unit is not None
            parts = d.amount / (per_unit / choice.form.split)
            assert math.isclose(parts, round(parts), abs_tol=1e-6)
        elif choice.form.kind.category == "liquid":
            ml = d.amount / (per_unit or 1)
            assert math.isclose(ml * 2, round(ml * 2), abs_tol=1e-6)
        # Maxima per dose and per day.
        for cap in (med.max_dose, regimen.max_dose):
            assert cap is None or d.amount <= cap + EPS
        times = 1 if regimen.schedule == "once" else regimen.times_per_day
        limited = med.max_daily is not None or med.max_daily_per_kg is not None
        if regimen.schedule == "per_event" and limited:
            # Given after each event: the stated most-times-a-day keeps within the daily limits.
            assert d.max_times_per_day is not None
            times = d.max_times_per_day
        assert med.max_daily is None or d.amount * times <= med.max_daily + EPS
        assert med.max_daily_per_kg is None or d.amount * times <= med.max_daily_per_kg * weight + EPS
        if regimen.per_kg is not None:
            assert regimen.max_per_kg is None or d.amount <= regimen.max_per_kg * weight + EPS
            # Never silently below the minimum effective dose (unless capped at the maximum).
            low = (regimen.min_per_kg if regimen.min_per_kg is not None else regimen.per_kg * 0.8)
            caps = [c for c in (regimen.max_dose, med.max_dose) if c is not None]
            if regimen.schedule != "per_event":
                caps += [c / times for c in (med.max_daily,) if c is not None]
                caps += [c * weight / times for c in (med.max_daily_per_kg,) if c is not None]
            assert d.amount >= min([low * weight, *caps]) - EPS
        else:
            band = next(b for b in regimen.bands if b.contains(weight, months))
            assert d.amount <= band.dose + EPS and d.amount >= 0.8 * band.dose - EPS
    if urgency is Urgency.EMERGENCY:
        plan = KB.treatments.get(condition)
        steps = {s.id: s for s in plan.steps} if plan else {}
        assert all(steps[s.step].pre_referral for s in result.steps)

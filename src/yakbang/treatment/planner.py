"""The treatment planner: for a condition, a person and a shelf, what to give and how.

Pure: takes the knowledge base, the condition, the person (as values), the stock and what the
person already takes; returns choices with doses and every reason an option was passed over.
For each step of the condition's plan, options are tried in the plan's order; an option is
used only when it is safe for this person (age, pregnancy, breastfeeding, illnesses, present
findings, allergies, interactions, ingredients already taken) and a product on the shelf can
give a dose inside the safe window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from yakbang.kb.formulary import Form, FormKind, Medicine, Regimen, Step, TreatmentPlan
from yakbang.kb.loader import KnowledgeBase
from yakbang.kb.schema import Text, TextList
from yakbang.treatment.dosing import Dose, Unsuitable, compute_dose
from yakbang.treatment.messages import TRIMESTER, Message, form_words
from yakbang.treatment.names import Resolved
from yakbang.treatment.stock import Stock, StockItem
from yakbang.treatment.weight import check_weight, estimate_weight
from yakbang.types import Patient, Urgency

CHILD_MONTHS = 144  # under 12 years: child-friendly forms first
YOUNG_CHILD_MONTHS = 60

_ROUTE_KINDS: dict[str, frozenset[FormKind]] = {
    "oral": frozenset({FormKind.TABLET, FormKind.DISPERSIBLE_TABLET, FormKind.CHEWABLE_TABLET,
                       FormKind.CAPSULE, FormKind.SYRUP, FormKind.SUSPENSION, FormKind.ORAL_DROPS,
                       FormKind.ORAL_SOLUTION, FormKind.ORAL_POWDER}),
    "inhaled": frozenset({FormKind.INHALER}),
    "skin": frozenset({FormKind.CREAM, FormKind.OINTMENT, FormKind.GEL, FormKind.LOTION,
                       FormKind.SHAMPOO, FormKind.SKIN_SOLUTION}),
    "eye": frozenset({FormKind.EYE_OINTMENT, FormKind.EYE_DROPS}),
    "ear": frozenset({FormKind.EAR_DROPS}),
    "vaginal": frozenset({FormKind.PESSARY, FormKind.CREAM, FormKind.GEL}),
    "rectal": frozenset({FormKind.SUPPOSITORY}),
    "injection": frozenset({FormKind.INJECTION}),
}


@dataclass(frozen=True)
class TreatmentInput:
    """The person, as the planner needs them. No names, nothing identifying."""

    patient: Patient
    weight_kg: float | None = None
    pregnancy_weeks: int | None = None
    breastfeeding: bool = False
    allergies: frozenset[str] = frozenset()  # medicine ids or classes (penicillin)
    known_conditions: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()  # findings present now
    taking: tuple[Resolved, ...] = ()

    @property
    def trimester(self) -> int:
        """1-3, or 0 when pregnant and the weeks are unknown (then the strictest applies)."""
        w = self.pregnancy_weeks
        if w is None:
            return 0
        return 1 if w < 14 else 2 if w < 28 else 3


@dataclass(frozen=True)
class Choice:
    medicine: str
    regimen: str
    form: Form
    dose: Dose | None  # None when applied to the skin, eye or ear
    stock_line: int | None
    from_stock: bool
    notes: tuple[Message, ...] = ()


@dataclass(frozen=True)
class StepResult:
    step: str
    purpose: Text
    choice: Choice | None
    skipped: tuple[tuple[str, Message], ...] = ()  # (medicine id, why)
    get: tuple[str, Form] | None = None  # what to obtain when nothing suitable is here
    message: Message | None = None


@dataclass(frozen=True)
class TreatmentResult:
    condition: str
    steps: tuple[StepResult, ...]
    care: TextList
    no_antibiotic: Text | None
    refer: Text | None
    warnings: tuple[Message, ...]
    weight_kg: float
    weight_estimated: bool
    emergency: bool

    @property
    def given(self) -> list[Choice]:
        return [s.choice for s in self.steps if s.choice is not None]


@dataclass
class _State:
    chosen: list[Medicine] = field(default_factory=list)


def _age_text(months: int) -> tuple[str, str]:
    if months < 24:
        return f"{months} months", f"{months}개월"
    return f"{months // 12} years", f"{months // 12}살"


def _taken_medicines(kb: KnowledgeBase, inp: TreatmentInput) -> list[tuple[Resolved, Medicine]]:
    return [(r, kb.medicines[m]) for r in inp.taking for m in r.medicines if m in kb.medicines]


def _names(target: str, med: Medicine) -> bool:
    """Whether an interaction target (an id or class:NAME) names this medicine."""
    if target.startswith("class:"):
        return target.removeprefix("class:") in med.classes
    return target == med.id


def _interacts(a: Medicine, b: Medicine) -> Text | None:
    """The 'avoid' advice if a and b must not be combined, else None."""
    for x, y in ((a, b), (b, a)):
        for ix in x.interactions:
            if ix.severity == "avoid" and _names(ix.with_, y):
                return ix.advice
    return None


def _cautions(a: Medicine, b: Medicine) -> list[Text]:
    out = []
    for x, y in ((a, b), (b, a)):
        for ix in x.interactions:
            if ix.severity == "caution" and _names(ix.with_, y):
                out.append(ix.advice)
    return out


def contraindication(kb: KnowledgeBase, med: Medicine, inp: TreatmentInput,
                     condition: str) -> Message | None:
    """Why this medicine must not be given to this person, or None."""
    ci = med.contraindications
    months = inp.patient.age.months
    if ci.min_age_months is not None and months < ci.min_age_months:
        return Message("contra_age", {"min_age": _age_text(ci.min_age_months)})
    if inp.patient.pregnant:
        tri = inp.trimester
        levels = [ci.pregnancy.first, ci.pregnancy.second, ci.pregnancy.third]
        level = levels[tri - 1] if tri else ("avoid" if "avoid" in levels else
                                              "caution" if "caution" in levels else "ok")
        if level == "avoid":
            return Message("contra_pregnancy", {"trimester": TRIMESTER[tri]})
    if inp.breastfeeding and ci.breastfeeding == "avoid":
        return Message("contra_breastfeeding")
    for cid in ci.conditions:
        if cid == condition or cid in inp.known_conditions:
            c = kb.conditions[cid]
            return Message("contra_condition", {"what": (c.name.en, c.name.ko)})
    for fid in ci.findings:
        if fid in inp.present:
            f = kb.findings[fid]
            return Message("contra_finding", {"what": (f.name.en, f.name.ko)})
    allergic = inp.allergies & {med.id, *med.classes}
    if allergic:
        return Message("contra_allergy", {"what": sorted(allergic)[0]})
    return None


def _cautions_for(med: Medicine, inp: TreatmentInput) -> list[Message]:
    notes = []
    ci = med.contraindications
    if inp.patient.pregnant:
        tri = inp.trimester
        levels = [ci.pregnancy.first, ci.pregnancy.second, ci.pregnancy.third]
        if (levels[tri - 1] if tri else max(levels, key=["ok", "caution", "avoid"].index)) == "caution":
            notes.append(Message("caution_pregnancy", {"trimester": TRIMESTER[tri]}))
    if inp.breastfeeding and ci.breastfeeding == "caution":
        notes.append(Message("caution_breastfeeding"))
    return notes


def _form_rank(form: Form, months: int) -> int:
    """Lower is preferred: child-friendly forms for children, tablets for adults."""
    friendly = form.kind.child_friendly
    if months < CHILD_MONTHS:
        if friendly:
            return 0 if form.kind is FormKind.DISPERSIBLE_TABLET else 1
        return 3 if months < YOUNG_CHILD_MONTHS else 2
    if form.kind.category == "solid":
        return 1 if friendly else 0
    return 2


def _candidates(med: Medicine, regimen: Regimen, stock: Stock | None, today: date,
                months: int) -> list[tuple[Form, StockItem | None]]:
    kinds = _ROUTE_KINDS[regimen.route]
    if stock is None:
        pairs: list[tuple[Form, StockItem | None]] = [
            (f, None) for f in med.forms if f.lay_use and f.kind in kinds]
    else:
        pairs = [(i.form, i) for i in stock.for_medicine(med.id, today) if i.form.kind in kinds]
    # Stable sort keeps first-expiry-first among equally preferred forms; from the formulary,
    # adults get the strongest unit first (fewest tablets), children the weakest (finest dose).
    if stock is None:
        sign = -1.0 if months >= CHILD_MONTHS else 1.0
        pairs.sort(key=lambda p: sign * (p[0].per_unit or 0.0))
    return sorted(pairs, key=lambda p: _form_rank(p[0], months))


def _try_forms(med: Medicine, regimen: Regimen, pairs: list[tuple[Form, StockItem | None]],
               weight: float, months: int) -> tuple[Choice | None, Message | None]:
    last: Message | None = None
    for form, item in pairs:
        if regimen.applied:
            return Choice(med.id, regimen.id, form, None, item.line if item else None,
                          item is not None), None
        dose = compute_dose(med, regimen, form, weight, months)
        if isinstance(dose, Unsuitable):
            last = Message(dose.reason, dict(dose.values))
            continue
        notes: list[Message] = []
        course = dose.course_units
        if item is not None and course is not None and dose.unit != "mL" and item.quantity < course:
            notes.append(Message("short_stock", {"have": f"{item.quantity:g} {dose.unit}",
                                                 "need": f"{course:g} {dose.unit}"}))
        return Choice(med.id, regimen.id, form, dose, item.line if item else None,
                      item is not None, tuple(notes)), None
    return None, last


def _plan_step(kb: KnowledgeBase, step: Step, condition: str, inp: TreatmentInput,
               stock: Stock | None, today: date, weight: float, state: _State) -> StepResult:
    months = inp.patient.age.months
    taken = _taken_medicines(kb, inp)
    skipped: list[tuple[str, Message]] = []
    get: tuple[str, Form] | None = None
    for option in step.options:
        med = kb.medicines[option.medicine]
        regimen = med.regimen(option.regimen)
        if regimen is None or not regimen.ages.contains(months):
            continue  # a variant for another age group; not a reason worth telling
        why = contraindication(kb, med, inp, condition)
        if why is None:
            dup = next((r for r, m in taken if m.id == med.id), None)
            if dup is not None:
                why = Message("already_taking", {"product": dup.label,
                                                 "medicine": (med.name.en, med.name.ko)})
        if why is None and any(m.id == med.id for m in state.chosen):
            why = Message("duplicate_plan", {"medicine": (med.name.en, med.name.ko)})
        if why is None:
            for other in [m for _, m in taken] + state.chosen:
                advice = _interacts(med, other)
                if advice is not None:
                    why = Message("interaction_avoid", {"other": (other.name.en, other.name.ko),
                                                        "advice": (advice.en, advice.ko)})
                    break
        if why is not None:
            skipped.append((med.id, why))
            continue
        choice, unsuitable = _try_forms(med, regimen, _candidates(med, regimen, stock, today, months),
                                        weight, months)
        if choice is None:
            if stock is not None and get is None:
                probe, _ = _try_forms(med, regimen, _candidates(med, regimen, None, today, months),
                                      weight, months)
                if probe is not None:
                    get = (med.id, probe.form)
            skipped.append((med.id, unsuitable or Message("not_in_stock")))
            continue
        notes = list(choice.notes) + _cautions_for(med, inp)
        for other in [m for _, m in taken] + state.chosen:
            notes += [Message("interaction", {"first": (med.name.en, med.name.ko),
                                              "second": (other.name.en, other.name.ko),
                                              "advice": (t.en, t.ko)})
                      for t in _cautions(med, other)]
        if skipped:
            first = kb.medicines[skipped[0][0]]
            notes.insert(0, Message("fallback", {
                "first": (first.name.en, first.name.ko), "why": skipped[0][1].render_pair(),
                "chosen": (med.name.en, med.name.ko)}))
        state.chosen.append(med)
        return StepResult(step.id, step.purpose, Choice(
            choice.medicine, choice.regimen, choice.form, choice.dose, choice.stock_line,
            choice.from_stock, tuple(notes)), tuple(skipped))
    if get is not None:
        med = kb.medicines[get[0]]
        message = Message("nothing_suitable", {"medicine": (med.name.en, med.name.ko),
                                               "form": form_words(get[1], med.dose_unit)})
    else:
        message = Message("nothing_safe")
    return StepResult(step.id, step.purpose, None, tuple(skipped), get, message)


def _daily_limit(med: Medicine) -> tuple[str, str] | str:
    """' (no more than 4000 mg a day ...)' to append to a warning, or nothing."""
    if med.max_daily is None:
        return ""
    return Message("daily_limit", {"max": f"{med.max_daily:g}", "unit": med.dose_unit}).render_pair()


def _taking_warnings(kb: KnowledgeBase, inp: TreatmentInput) -> list[Message]:
    warnings: list[Message] = []
    taken = _taken_medicines(kb, inp)
    seen: dict[str, Resolved] = {}
    for r, med in taken:
        if med.market_warning is not None:
            warn = med.market_warning
            warnings.append(Message("interaction", {"first": r.label, "second": (med.name.en, med.name.ko),
                                                    "advice": (warn.en, warn.ko)}))
        limit = _daily_limit(med)
        if med.id in seen and seen[med.id] is not r:
            warnings.append(Message("same_ingredient", {
                "first": seen[med.id].label, "second": r.label,
                "medicine": (med.name.en, med.name.ko), "limit": limit}))
        else:
            seen.setdefault(med.id, r)
    for r in inp.taking:
        if r.other_ingredients:
            warnings.append(Message("unknown_taking", {"name": r.label,
                                                       "what": ", ".join(r.other_ingredients)}))
    meds = [m for _, m in taken]
    for i, a in enumerate(meds):
        for b in meds[i + 1:]:
            if a.id == b.id:
                continue
            advice = _interacts(a, b)
            texts = [advice] if advice is not None else _cautions(a, b)
            warnings += [Message("interaction", {"first": (a.name.en, a.name.ko),
                                                 "second": (b.name.en, b.name.ko),
                                                 "advice": (t.en, t.ko)}) for t in texts]
    return warnings


def plan_treatment(kb: KnowledgeBase, condition: str, urgency: Urgency, inp: TreatmentInput,
                   stock: Stock | None, today: date) -> TreatmentResult:
    """What to give for `condition`, from `stock` (None: no shelf given, use the formulary)."""
    plan: TreatmentPlan | None = kb.treatments.get(condition)
    if inp.weight_kg is not None:
        weight, estimated = check_weight(inp.patient.age, inp.weight_kg), False
    else:
        weight, estimated = estimate_weight(inp.patient.age), True
    warnings: list[Message] = []
    if estimated:
        warnings.append(Message("estimated_weight", {"weight": f"{weight:g}"}))
    emergency = urgency is Urgency.EMERGENCY
    if emergency:
        warnings.append(Message("emergency_only"))
    if stock is None:
        warnings.append(Message("no_stock_given"))
    else:
        for item in stock.expired(today):
            warnings.append(Message("expired_stock", {"name": item.name, "line": str(item.line),
                                                      "expiry": item.expiry.isoformat()}))
        for name in stock.combinations:
            warnings.append(Message("combination_stock", {"name": name}))
    warnings += _taking_warnings(kb, inp)
    for r, med in _taken_medicines(kb, inp):
        for step in plan.steps if plan else ():
            if any(o.medicine == med.id for o in step.options):
                warnings.append(Message("taking_contains", {
                    "product": r.label, "medicine": (med.name.en, med.name.ko),
                    "limit": _daily_limit(med)}))
                break
    if plan is None:
        return TreatmentResult(condition, (), _NO_PLAN_CARE, None, None, tuple(warnings), weight,
                               estimated, emergency)
    state = _State()
    months = inp.patient.age.months
    results = []
    for step in plan.steps:
        if emergency and not step.pre_referral:
            continue
        if not step.ages.contains(months):
            continue
        if step.when_present and not (set(step.when_present) & inp.present):
            continue
        results.append(_plan_step(kb, step, condition, inp, stock, today, weight, state))
    return TreatmentResult(condition, tuple(results), plan.care, plan.no_antibiotic, plan.refer,
                           tuple(_dedupe(warnings)), weight, estimated, emergency)


def _dedupe(messages: list[Message]) -> list[Message]:
    seen: set[tuple[str, str]] = set()
    out = []
    for m in messages:
        key = (m.key, repr(sorted(m.values.items())))
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


_NO_PLAN_CARE = TextList(
    en=["yakbang has no treatment plan for this condition; a health worker must decide on medicine."],
    ko=["약방에는 이 병의 치료 계획이 없습니다. 약은 보건일군이 정해야 합니다."],
)

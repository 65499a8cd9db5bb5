"""One dose for one person from one product: target, safe window, rounding to real units.

The target comes from the regimen (per kg, capped at the maximum dose, or a fixed band).
The window around it is [minimum effective, maximum safe]: the regimen's min/max per kg,
capped by every absolute limit of the medicine (per dose, per day, per kg per day). The
dose is then the count of units the product allows (halves or quarters only when scored;
liquids in 0.5 mL steps) nearest the target inside the window. When no count fits, the
product is unsuitable and the reason says why; the dose is never silently pushed outside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from yakbang.kb.formulary import DoseBand, Form, FormKind, Medicine, Regimen, Schedule

LIQUID_STEP_ML = 0.5
MAX_SOLID_UNITS = 8.0  # whole tablets or capsules in one dose
MAX_LIQUID_ML = 40.0
MAX_PUFFS = 10.0
EPS = 1e-9

SLOTS: dict[int, tuple[str, ...]] = {
    1: ("morning",),
    2: ("morning", "evening"),
    3: ("morning", "midday", "evening"),
    4: ("morning", "midday", "evening", "night"),
}


@dataclass(frozen=True)
class Dose:
    amount: float  # per dose, in the medicine's dose unit
    units: float  # tablets, mL, puffs, sachets
    unit: str  # tablet, capsule, mL, puff, sachet, pessary, suppository
    times_per_day: int
    schedule: Schedule
    days: float | None
    slots: tuple[str, ...]
    low: float  # the window the dose had to fall in
    high: float
    # For doses given after each event (loose stool): the most times a day within the
    # medicine's daily maximum; None when it has none (ORS).
    max_times_per_day: int | None = None
    # Units on each day when the dose changes by day (chloroquine 2, 2, 1 tablets).
    day_units: tuple[float, ...] | None = None

    @property
    def per_day(self) -> float:
        return self.amount * (1 if self.schedule == "once" else self.times_per_day)

    @property
    def course_units(self) -> float | None:
        """Units for the whole course (fixed schedules only)."""
        if self.schedule == "once":
            return self.units
        if self.schedule != "fixed" or self.days is None:
            return None
        if self.day_units is not None:
            return sum(self.day_units) * self.times_per_day
        return self.units * self.times_per_day * math.ceil(self.days)


@dataclass(frozen=True)
class Unsuitable:
    reason: str  # message key, see treatment.messages
    values: dict[str, str]


def _band(regimen: Regimen, weight_kg: float, age_months: int) -> DoseBand | None:
    return next((b for b in regimen.bands if b.contains(weight_kg, age_months)), None)


def dose_window(medicine: Medicine, regimen: Regimen, weight_kg: float,
                age_months: int) -> tuple[float, float, float] | Unsuitable:
    """(target, lowest acceptable, highest allowed) per dose, in the dose unit."""
    caps = [c for c in (regimen.max_dose, medicine.max_dose) if c is not None]
    times = 1 if regimen.schedule == "once" else regimen.times_per_day
    if regimen.schedule != "per_event":
        if medicine.max_daily is not None:
            caps.append(medicine.max_daily / times)
        if medicine.max_daily_per_kg is not None:
            caps.append(medicine.max_daily_per_kg * weight_kg / times)
    cap = min(caps) if caps else math.inf
    if regimen.per_kg is not None:
        target = min(regimen.per_kg * weight_kg, cap)
        low_per_kg = regimen.min_per_kg if regimen.min_per_kg is not None else regimen.per_kg * 0.8
        high_per_kg = regimen.max_per_kg if regimen.max_per_kg is not None else regimen.per_kg * 1.1
        low = min(low_per_kg * weight_kg, target)
        high = min(high_per_kg * weight_kg, cap)
    else:
        band = _band(regimen, weight_kg, age_months)
        if band is None:
            return Unsuitable("no_band", {"weight": f"{weight_kg:g}"})
        target = min(band.dose, cap)
        low, high = target * 0.8, target
        if band.dose > cap + EPS:
            return Unsuitable("above_max", {"dose": _fmt(band.dose), "max": _fmt(cap)})
    if high + EPS < low:
        return Unsuitable("window_empty", {"low": _fmt(low), "high": _fmt(high)})
    return target, low, high


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _pick(step: float, target: float, low: float, high: float, max_count: float) -> float | None:
    """Largest-to-nearest count of `step`s within [low, high]; None if none fits."""
    n_min = max(1, math.ceil(low / step - EPS))
    n_max = min(math.floor(high / step + EPS), math.floor(max_count + EPS))
    if n_min > n_max:
        return None
    best = min(range(n_min, n_max + 1), key=lambda n: (abs(n * step - target), n))
    return best * step


def unit_name(form: Form) -> str:
    kind = form.kind
    if kind.category == "liquid":
        return "mL"
    if kind is FormKind.INHALER:
        return "puff"
    if kind is FormKind.ORAL_POWDER:
        return "mL" if form.makes_ml else "sachet"
    if kind is FormKind.CAPSULE:
        return "capsule"
    if kind in (FormKind.PESSARY, FormKind.SUPPOSITORY):
        return kind.value
    return "tablet"


def compute_dose(medicine: Medicine, regimen: Regimen, form: Form, weight_kg: float,
                 age_months: int) -> Dose | Unsuitable:
    """The dose of this product for this person, or why it cannot be given safely."""
    if regimen.applied:
        raise ValueError("regimens applied to skin, eye or ear have no dose")
    if not form.lay_use:
        return Unsuitable("not_lay_use", {"form": form.kind.value})
    window = dose_window(medicine, regimen, weight_kg, age_months)
    if isinstance(window, Unsuitable):
        return window
    target, low, high = window
    category = form.kind.category
    per_unit = form.per_unit
    if category == "powder" and form.makes_ml:
        # Prepared solution (ORS): the dose is a volume of it, to the nearest 10 mL below.
        amount = min(max(round(target / 10.0) * 10.0, low), high)
        if amount + EPS < low:
            return Unsuitable("window_empty", {"low": _fmt(low), "high": _fmt(high)})
        units = amount
    elif per_unit is None:
        return Unsuitable("no_strength", {"form": form.kind.value})
    elif category == "liquid":
        picked = _pick(per_unit * LIQUID_STEP_ML, target, low, high, MAX_LIQUID_ML / LIQUID_STEP_ML)
        if picked is None:
            return Unsuitable("liquid_misfit", {"low": _fmt(low), "high": _fmt(high)})
        amount, units = picked, round(picked / per_unit, 2)
    else:
        part = per_unit / form.split
        limit = (MAX_PUFFS if form.kind is FormKind.INHALER else MAX_SOLID_UNITS) * form.split
        picked = _pick(part, target, low, high, limit)
        if picked is None:
            key = "unit_too_big" if part > high + EPS else "too_many_units"
            return Unsuitable(key, {"part": _fmt(part), "low": _fmt(low), "high": _fmt(high)})
        amount, units = picked, round(picked / per_unit, 4)
    day_units: tuple[float, ...] | None = None
    if regimen.day_factors is not None:
        if per_unit is None or category not in ("solid", "liquid"):
            return Unsuitable("no_strength", {"form": form.kind.value})
        step = per_unit * LIQUID_STEP_ML if category == "liquid" else per_unit / form.split
        days = []
        for f in regimen.day_factors:
            day = _pick(step, target * f, low * f, high * f, 10**6)
            if day is None:
                return Unsuitable("unit_too_big", {"part": _fmt(step), "low": _fmt(low * f),
                                                   "high": _fmt(high * f)})
            days.append(round(day / per_unit, 4))
        day_units = tuple(days)
    times = regimen.times_per_day
    slots = SLOTS.get(times, ()) if regimen.schedule in ("fixed", "as_needed") else ()
    max_times = None
    if regimen.schedule == "per_event":
        limits = [c for c in (medicine.max_daily,) if c is not None]
        limits += [c * weight_kg for c in (medicine.max_daily_per_kg,) if c is not None]
        if limits:
            max_times = math.floor(min(limits) / amount + EPS)
            if max_times < 1:
                return Unsuitable("above_max", {"dose": _fmt(amount), "max": _fmt(min(limits))})
    return Dose(amount=amount, units=units, unit=unit_name(form), times_per_day=times,
                schedule=regimen.schedule, days=regimen.days, slots=slots, low=low, high=high,
                max_times_per_day=max_times, day_units=day_units)

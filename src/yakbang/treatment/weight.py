"""Body weight: check that a weight is plausible for the age, estimate it when unknown.

Medians of weight-for-age from the WHO Child Growth Standards (2006, 0-5 years) and the
WHO Growth Reference 2007 (5-19 years), boys and girls averaged, rounded to 0.1 kg; adults
60 kg. An estimate is 90 % of the median (close to -1 SD in infancy), because a sick child
in a poor setting weighs less than the average child and an overestimate means overdose.
"""

from __future__ import annotations

from bisect import bisect_right

from yakbang.errors import InvalidPatient
from yakbang.types import Age

# (age in months, median kg)
_MEDIAN: tuple[tuple[int, float], ...] = (
    (0, 3.3), (1, 4.3), (2, 5.4), (3, 6.1), (4, 6.7), (6, 7.6), (9, 8.6), (12, 9.4),
    (18, 10.8), (24, 12.0), (36, 14.1), (48, 16.1), (60, 18.1), (72, 20.6), (84, 22.9),
    (96, 25.4), (108, 28.3), (120, 31.6), (144, 40.5), (168, 50.0), (192, 56.5),
    (216, 60.0),
)
ESTIMATE_FACTOR = 0.9
# Plausible range around the median: severe wasting reaches 60 % of the median and a
# very low birth weight baby under half; obesity rarely above 2.5 times it.
_LOW, _HIGH = 0.4, 2.5
ADULT_MIN_KG, ADULT_MAX_KG = 25.0, 250.0


def median_weight(age: Age) -> float:
    months = age.months
    ages = [m for m, _ in _MEDIAN]
    i = bisect_right(ages, months) - 1
    if i >= len(_MEDIAN) - 1:
        return _MEDIAN[-1][1]
    (m0, w0), (m1, w1) = _MEDIAN[i], _MEDIAN[i + 1]
    return w0 + (w1 - w0) * (months - m0) / (m1 - m0)


def estimate_weight(age: Age) -> float:
    """A cautious weight for dosing when nobody could weigh the person (kg, 0.1 kg)."""
    return round(median_weight(age) * ESTIMATE_FACTOR, 1)


def plausible_range(age: Age) -> tuple[float, float]:
    if age.months >= 216:
        return ADULT_MIN_KG, ADULT_MAX_KG
    median = median_weight(age)
    return round(median * _LOW, 1), round(median * _HIGH, 1)


def check_weight(age: Age, weight_kg: float) -> float:
    """Return the weight if it is possible for the age, else raise InvalidPatient."""
    low, high = plausible_range(age)
    if not low <= weight_kg <= high:
        years = age.months / 12
        raise InvalidPatient(
            f"a weight of {weight_kg:g} kg is not possible at {years:.1f} years "
            f"(expected {low:g}-{high:g} kg); check the weight and the age")
    return weight_kg

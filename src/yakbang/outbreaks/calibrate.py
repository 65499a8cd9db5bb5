"""Thresholds from a false-alarm rate, not from p-values.

For each series, the threshold is the score that its own history exceeds on `rate` of its days
(default 1 %: one false alarm per 100 days). Series with no usable history get the pooled
threshold of all series; WHO single-case rules handle the first case of a rare syndrome.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def thresholds(scores: Array, rate: float, train: slice) -> Array:
    """One threshold per series from its scores on the `train` days."""
    history = scores[:, train]
    finite = np.where(np.isfinite(history), history, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows get the pooled value
        per_series = np.nanquantile(finite, 1.0 - rate, axis=1)
    seen = history[np.isfinite(history)]
    pooled = float(np.quantile(seen, 1.0 - rate)) if seen.size else 3.0
    per_series = np.where(np.isfinite(per_series), per_series, pooled)
    out: Array = np.maximum(per_series, 1.0)  # never below one standard deviation
    return out

"""One picture per alert: the daily counts, the expected band and the alarm days (matplotlib).

Drawn without a screen (Agg) and without fetching fonts; PNG or SVG by the file's suffix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from yakbang.outbreaks.alerts import Alert
from yakbang.outbreaks.series import Series

WINDOW = 90  # days (or weeks) shown before the alert


def plot_alert(series: Series, alert: Alert, alarms: list[Alert], path: Path) -> Path:
    """Save the picture of one alert; PNG or SVG by the file's suffix."""
    import matplotlib.pyplot as plt

    fig = _figure(series, alert, alarms)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_svg(series: Series, alert: Alert, alarms: list[Alert]) -> str:
    """The picture of one alert as SVG text, to put straight into a web page."""
    import io

    import matplotlib.pyplot as plt

    fig = _figure(series, alert, alarms)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # no XML prolog or doctype inside HTML


def _figure(series: Series, alert: Alert, alarms: list[Alert]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    row = series.keys.index((alert.area, alert.syndrome))
    end = series.column(alert.day)
    start = max(0, end - WINDOW)
    x = series.counts[row, start:end + 1]
    days = np.arange(start, end + 1)
    # Expected band: the mean and 2 standard deviations of the 28 days before each day (2-day guard).
    mean = np.full(len(days), np.nan)
    sd = np.full(len(days), np.nan)
    for i, d in enumerate(days):
        base = series.counts[row, max(0, d - 30):max(0, d - 2)]
        if len(base) >= 7:
            mean[i], sd[i] = base.mean(), base.std(ddof=1)
    fig, ax = plt.subplots(figsize=(7, 3), dpi=100)
    ax.bar(days - end, x, color="#888888", width=0.9, label="cases")
    ax.plot(days - end, mean, color="#1b5e20", label="expected")
    ax.fill_between(days - end, np.maximum(mean - 2 * sd, 0), mean + 2 * sd, color="#1b5e20",
                    alpha=0.15, label="expected range")
    key = (alert.area, alert.syndrome)
    same = [series.column(a.day) for a in alarms if (a.area, a.syndrome) == key]
    hit = [d for d in same if start <= d <= end]
    ax.scatter(np.array(hit) - end, series.counts[row, hit], color="#b00020", zorder=3, marker="v", s=40,
               label="alarm")
    # The area is typed by people: a `$` in it must not be read as mathtext (an error, or a formula).
    ax.set_title(f"{alert.syndrome} — {alert.area} — {series.period(end)}", fontsize=10, parse_math=False)
    unit = "day" if series.step == 1 else "week"
    ax.set_xlabel(f"{unit}s before the alert")
    ax.set_ylabel(f"cases a {unit}")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig

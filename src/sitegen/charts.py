"""Small inline SVG bar charts of mentions over time (no JavaScript, no external files).

Bars cover whole calendar periods (a month, or a quarter, half-year or some years when the
site spans too many months for one bar each), so that their axis can be labelled with dates.
A chart is drawn against a scale given by its caller: the actor's own busiest period, or a
scale shared by every actor (the number of days published in a period), so that a two-day
actor does not look as busy as one named every day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Month = tuple[int, int]
# months per bar, tried in order until the bars fit: each divides a year or is whole years
_PERIODS = (1, 3, 6, 12, 24, 60, 120)


def month_range(first: Month, last: Month) -> list[Month]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def period_months(first: Month, last: Month, max_bars: int) -> int:
    """Months per bar: the shortest calendar period that gives at most max_bars bars."""
    months = len(month_range(first, last))
    for size in _PERIODS:
        if _bar_count(first, months, size) <= max_bars:
            return size
    return _PERIODS[-1]


def _bar_count(first: Month, months: int, size: int) -> int:
    offset = _offset(first, size)
    return -(-(offset + months) // size)


def _offset(first: Month, size: int) -> int:
    """How far into its period the first month is (bars start on period boundaries)."""
    index = first[0] * 12 + first[1] - 1
    return index % size


def bucket_counts(
    counts: Counter[Month], first: Month, last: Month, max_bars: int
) -> list[tuple[Month, Month, int]]:
    """(first month, last month, total) per bar, on calendar period boundaries (quarters,
    half-years, years...) when months are grouped. The first and last bars are clipped to
    the range, so every month in it is counted exactly once."""
    months = month_range(first, last)
    if not months:
        return []
    size = period_months(first, last, max_bars)
    buckets = []
    group: list[Month] = []
    for month in months:
        if group and (month[0] * 12 + month[1] - 1) % size == 0:
            buckets.append((group[0], group[-1], sum(counts.get(m, 0) for m in group)))
            group = []
        group.append(month)
    buckets.append((group[0], group[-1], sum(counts.get(m, 0) for m in group)))
    return buckets


def period_label(first: Month, last: Month) -> str:
    """'Mar 2021', 'Jan – Mar 2021', '2021', '2020 – 2021' or 'Nov 2019 – Feb 2020'."""
    if first == last:
        return f"{MONTH_ABBR[first[1] - 1]} {first[0]}"
    if first[1] == 1 and last[1] == 12:
        return str(first[0]) if first[0] == last[0] else f"{first[0]} – {last[0]}"
    if first[0] == last[0]:
        return f"{MONTH_ABBR[first[1] - 1]} – {MONTH_ABBR[last[1] - 1]} {first[0]}"
    return f"{MONTH_ABBR[first[1] - 1]} {first[0]} – {MONTH_ABBR[last[1] - 1]} {last[0]}"


def unit_name(size: int) -> str:
    return {1: "month", 3: "quarter", 6: "half-year", 12: "year"}.get(size, f"{size // 12} years")


@dataclass(frozen=True, slots=True)
class Scale:
    """What the bars' height is measured against: `peak` is the full height."""

    peak: int
    shared: bool  # True: the same for every actor (days published per period)


@dataclass(frozen=True, slots=True)
class Frame:
    """What every actor's chart on a site is drawn in: the months from the site's first
    day to its last, and the shared scale's peak (the most days published in one bar). It
    is all a chart takes from the calendar, so only a change of it redraws every chart."""

    first: Month
    last: Month
    peak: int
    max_bars: int = 48

    @property
    def scale(self) -> Scale:
        return Scale(self.peak, shared=True)

    @property
    def unit(self) -> str:
        return unit_name(period_months(self.first, self.last, self.max_bars))


def site_frame(days: Iterable[dt.date], max_bars: int = 48) -> Frame:
    """The frame of a site that published on `days`."""
    published = Counter((day.year, day.month) for day in days)
    if not published:
        return Frame((1970, 1), (1970, 1), 1, max_bars)
    first, last = min(published), max(published)
    buckets = bucket_counts(published, first, last, max_bars)
    return Frame(first, last, max((total for _, _, total in buckets), default=1), max_bars)


def activity_svg(
    counts: Counter[Month],
    first: Month,
    last: Month,
    *,
    name: str,
    width: int = 240,
    height: int = 48,
    max_bars: int = 48,
    scale: Scale | None = None,
) -> str:
    """An accessible bar chart: each bar has a tooltip, the whole has a text description.
    Without a scale, the bars are drawn against the busiest bar."""
    buckets = bucket_counts(counts, first, last, max_bars)
    own_peak = max((total for _, _, total in buckets), default=0)
    peak = max(scale.peak if scale else own_peak, own_peak, 1)
    bar = width / max(len(buckets), 1)
    gap = min(1.0, bar * 0.2)
    total = sum(t for _, _, t in buckets)
    description = (
        f"{name}: mentioned on {total} day{'s' if total != 1 else ''} "
        f"from {period_label(first, first)} to {period_label(last, last)}"
    )
    bars = []
    for index, (start, end, count) in enumerate(buckets):
        if count == 0:
            continue  # an empty period draws nothing; the axis line shows it
        h = max(1.5, (height - 1) * count / peak)
        tip = f"{period_label(start, end)}: {count} day{'s' if count != 1 else ''}"
        bars.append(
            f'<rect x="{index * bar:.1f}" y="{height - 1 - h:.1f}" width="{bar - gap:.1f}" '
            f'height="{h:.1f}"><title>{escape(tip)}</title></rect>'
        )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(description)}" preserveAspectRatio="none">'
        f'<line x1="0" y1="0.5" x2="{width}" y2="0.5" class="grid"/>'
        f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" class="axis"/>'
        + "".join(bars)
        + "</svg>"
    )


def axis_labels(first: Month, last: Month, most: int = 5) -> list[tuple[str, float]]:
    """Ticks for the chart's time axis as (label, position in % of the width): the start of
    a year when the chart spans years (at most `most`, evenly spaced), else of months."""
    months = month_range(first, last)
    if not months:
        return []
    if first[0] == last[0]:
        ticks = [(i, period_label(m, m)) for i, m in enumerate(months)]
    else:
        ticks = [(i, str(m[0])) for i, m in enumerate(months) if m[1] == 1 or i == 0]
    step = max(1, -(-len(ticks) // most))
    picked = ticks[::step]
    return [(label, round(100 * i / len(months), 2)) for i, label in picked]

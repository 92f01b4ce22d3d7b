"""Small inline SVG bar charts of mentions over time (no JavaScript, no external files)."""

from __future__ import annotations

import math
from collections import Counter
from html import escape

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Month = tuple[int, int]


def month_range(first: Month, last: Month) -> list[Month]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def bucket_counts(
    counts: Counter[Month], first: Month, last: Month, max_bars: int
) -> list[tuple[Month, Month, int]]:
    """(first month, last month, total) per bar; months are grouped when there are too many."""
    months = month_range(first, last)
    size = max(1, math.ceil(len(months) / max_bars))
    buckets = []
    for start in range(0, len(months), size):
        group = months[start : start + size]
        buckets.append((group[0], group[-1], sum(counts.get(m, 0) for m in group)))
    return buckets


def _label(first: Month, last: Month) -> str:
    name = f"{MONTH_ABBR[first[1] - 1]} {first[0]}"
    if first != last:
        name += f" – {MONTH_ABBR[last[1] - 1]} {last[0]}"
    return name


def activity_svg(
    counts: Counter[Month],
    first: Month,
    last: Month,
    *,
    name: str,
    width: int = 240,
    height: int = 48,
    max_bars: int = 48,
) -> str:
    """An accessible bar chart: each bar has a tooltip, the whole has a text description."""
    buckets = bucket_counts(counts, first, last, max_bars)
    peak = max((total for _, _, total in buckets), default=0) or 1
    bar = width / max(len(buckets), 1)
    gap = min(1.0, bar * 0.2)
    total = sum(t for _, _, t in buckets)
    description = (
        f"{name}: mentioned on {total} day{'s' if total != 1 else ''} "
        f"from {_label(first, first)} to {_label(last, last)}"
    )
    bars = []
    for index, (start, end, count) in enumerate(buckets):
        h = 0 if count == 0 else max(2.0, (height - 2) * count / peak)
        tip = f"{_label(start, end)}: {count}"
        bars.append(
            f'<rect x="{index * bar:.1f}" y="{height - h:.1f}" width="{bar - gap:.1f}" '
            f'height="{h:.1f}"><title>{escape(tip)}</title></rect>'
        )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(description)}" preserveAspectRatio="none">'
        f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" class="axis"/>'
        + "".join(bars)
        + "</svg>"
    )

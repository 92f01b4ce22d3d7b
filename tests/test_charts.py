"""charts.py: month buckets and the accessible SVG bar chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from sitegen.charts import (
    Scale,
    activity_svg,
    axis_labels,
    bucket_counts,
    month_range,
    period_label,
    period_months,
)


def test_month_range_crosses_years() -> None:
    assert month_range((2021, 11), (2022, 2)) == [(2021, 11), (2021, 12), (2022, 1), (2022, 2)]
    assert month_range((2022, 3), (2022, 3)) == [(2022, 3)]
    assert month_range((2022, 3), (2022, 2)) == []


def test_one_bar_per_month_when_they_fit() -> None:
    counts = Counter({(2022, 1): 3, (2022, 3): 1})
    assert bucket_counts(counts, (2022, 1), (2022, 3), max_bars=12) == [
        ((2022, 1), (2022, 1), 3),
        ((2022, 2), (2022, 2), 0),
        ((2022, 3), (2022, 3), 1),
    ]


def test_months_are_grouped_by_calendar_periods_when_there_are_more_than_max_bars() -> None:
    counts = Counter({(2020, m): 1 for m in range(1, 13)} | {(2021, 1): 5})
    buckets = bucket_counts(counts, (2020, 1), (2021, 1), max_bars=6)
    assert len(buckets) <= 6
    assert buckets[0] == ((2020, 1), (2020, 3), 3)  # quarters: 13 months would not fit
    assert buckets[-1] == ((2021, 1), (2021, 1), 5)
    assert sum(total for _, _, total in buckets) == 17
    months = [m for first, last, _ in buckets for m in month_range(first, last)]
    assert months == month_range((2020, 1), (2021, 1))  # every month once, in order


def test_a_range_that_starts_mid_period_is_clipped_not_shifted() -> None:
    buckets = bucket_counts(Counter({(2019, 11): 2}), (2019, 11), (2022, 1), max_bars=12)
    assert period_months((2019, 11), (2022, 1), 12) == 3
    assert buckets[0] == ((2019, 11), (2019, 12), 2)  # the rest of the quarter
    assert buckets[1][0] == (2020, 1)
    assert period_label((2020, 1), (2020, 12)) == "2020"
    assert period_label((2020, 1), (2021, 12)) == "2020 – 2021"
    assert period_label((2020, 4), (2020, 6)) == "Apr – Jun 2020"


def test_decades_get_one_bar_per_year_and_year_ticks() -> None:
    assert period_months((1995, 3), (2022, 1), 48) == 12
    ticks = axis_labels((1995, 3), (2022, 1), most=5)
    assert ticks[0] == ("1995", 0.0)
    assert len(ticks) <= 5
    assert all(label.isdigit() for label, _ in ticks)
    assert [left for _, left in ticks] == sorted(left for _, left in ticks)
    assert axis_labels((2022, 1), (2022, 2)) == [("Jan 2022", 0.0), ("Feb 2022", 50.0)]


def test_a_shared_scale_makes_a_quiet_actor_look_quiet() -> None:
    quiet = Counter({(2022, 1): 2})
    own = activity_svg(quiet, (2022, 1), (2022, 1), name="Q", height=48)
    shared = activity_svg(quiet, (2022, 1), (2022, 1), name="Q", height=48, scale=Scale(31, True))
    own_height = float(re.search(r'<rect[^>]* height="([\d.]+)"', own).group(1))
    shared_height = float(re.search(r'<rect[^>]* height="([\d.]+)"', shared).group(1))
    assert own_height == 47.0
    assert shared_height == pytest.approx(47 * 2 / 31, abs=0.1)


def test_bucket_counts_ten_years() -> None:
    buckets = bucket_counts(Counter(), (2010, 1), (2019, 12), max_bars=48)
    assert 40 <= len(buckets) <= 48
    assert all(total == 0 for _, _, total in buckets)


def test_svg_is_accessible_and_well_formed() -> None:
    counts = Counter({(2022, 1): 4, (2022, 2): 1})
    svg = activity_svg(counts, (2022, 1), (2022, 3), name="Sergei Lavrov")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Sergei Lavrov: mentioned on 5 days from Jan 2022 to Mar 2022"
    titles = [t.text for t in root.iter() if t.tag.endswith("title")]
    assert titles == ["Jan 2022: 4 days", "Feb 2022: 1 day"]  # an empty month draws no bar
    heights = [float(r.get("height")) for r in root.iter() if r.tag.endswith("rect")]
    assert heights[0] > heights[1] > 0


def test_svg_escapes_the_name_and_says_one_day() -> None:
    svg = activity_svg(Counter({(2022, 1): 1}), (2022, 1), (2022, 1), name='<b>"A&B"</b>')
    assert "<b>" not in svg
    label = ET.fromstring(svg).get("aria-label")
    assert label == '<b>"A&B"</b>: mentioned on 1 day from Jan 2022 to Jan 2022'


def test_grouped_bars_have_range_tooltips() -> None:
    counts = Counter({(2020, 1): 2})
    svg = activity_svg(counts, (2020, 1), (2021, 12), name="X", max_bars=8)
    assert re.search(r"<title>Jan – Mar 2020: 2 days</title>", svg)
    assert svg.count("<rect") == 1

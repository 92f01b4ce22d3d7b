"""Diagnostics: one line each, in file and line order."""

from __future__ import annotations

from sitegen.diagnostics import Diagnostic, capped


def test_a_problem_of_the_whole_file_sorts_before_those_at_its_lines() -> None:
    """A file's problem without a line beside one with a line (an actor file that cannot be
    read, and what is said of it) was a TypeError under sorted(): a traceback, not a report."""
    at_line = Diagnostic("content/actors/x.md", 3, "invalid YAML")
    whole = Diagnostic("content/actors/x.md", None, "held back")
    other = Diagnostic("content/a.md", 9, "z")
    assert sorted([at_line, whole, other]) == [other, whole, at_line]
    assert whole < at_line and not at_line < whole and at_line > whole
    assert sorted([Diagnostic("a", 2, "b"), Diagnostic("a", 2, "a")])[0].message == "a"


def test_capped_shows_twenty_problems_of_a_file_and_counts_the_rest() -> None:
    many = [Diagnostic("a.md", line, f"w{line}", "warning") for line in range(1, 31)]
    many[25] = Diagnostic("a.md", 26, "e", "error")
    other = [Diagnostic("b.md", 1, "x")]
    shown = capped(many + other)
    assert shown[:20] == many[:20]
    assert shown[20] == Diagnostic(
        "a.md", None, "10 more problems in this file, not shown: fix those above first", "error"
    )
    assert shown[21:] == other
    assert capped(many[:20] + other) == many[:20] + other

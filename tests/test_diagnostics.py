"""Diagnostics: one line each, in file and line order."""

from __future__ import annotations

from sitegen.diagnostics import Diagnostic


def test_a_problem_of_the_whole_file_sorts_before_those_at_its_lines() -> None:
    """A file's problem without a line beside one with a line (an actor file that cannot be
    read, and what is said of it) was a TypeError under sorted(): a traceback, not a report."""
    at_line = Diagnostic("content/actors/x.md", 3, "invalid YAML")
    whole = Diagnostic("content/actors/x.md", None, "held back")
    other = Diagnostic("content/a.md", 9, "z")
    assert sorted([at_line, whole, other]) == [other, whole, at_line]
    assert whole < at_line and not at_line < whole and at_line > whole
    assert sorted([Diagnostic("a", 2, "b"), Diagnostic("a", 2, "a")])[0].message == "a"

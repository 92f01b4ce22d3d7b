"""`sitegen ingest`: raw briefing text -> content/briefings/*.md and actor stubs.

rawparse reads the raw text, actors (with finders and gazetteer) finds who acts, quotes
finds who said what, writer writes the files, pipeline ties them together.
"""

from .pipeline import run_ingest

__all__ = ["run_ingest"]

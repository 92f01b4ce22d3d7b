"""sitegen: a static site generator for daily briefing digests."""

__version__ = "0.1.0"

"""Tests of `sitegen ingest` (a package, so its conftest does not shadow tests/conftest.py)."""

"""Runnable examples (importable so tests can exercise them)."""

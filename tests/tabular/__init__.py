"""Tests of the `tabular` wing."""

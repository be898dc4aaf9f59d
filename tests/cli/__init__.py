"""Tests of the `cli` wing."""

"""Tests of the `definitions` wing."""

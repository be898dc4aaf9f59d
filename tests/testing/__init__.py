"""Tests of the `testing` wing."""

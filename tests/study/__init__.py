"""Tests of the `study` wing."""

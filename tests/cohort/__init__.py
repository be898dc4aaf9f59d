"""Tests of the `cohort` wing."""

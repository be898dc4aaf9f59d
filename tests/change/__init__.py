"""Tests of the `change` wing."""

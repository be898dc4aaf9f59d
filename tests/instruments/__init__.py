"""Tests of the `instruments` wing."""

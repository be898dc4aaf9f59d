"""Tests of the `engine` wing."""

"""Tests of the `fhir` wing."""

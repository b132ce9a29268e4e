"""Test helpers under Pathway's names (vigil.tests.utils)."""

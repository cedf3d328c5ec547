"""Writes for the passports app, one module per area."""

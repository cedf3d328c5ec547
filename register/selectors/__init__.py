"""Reads that depend on who asks, one module per area."""

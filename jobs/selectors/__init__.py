"""Reads of the jobs service that depend on who asks, one module a part of the service."""

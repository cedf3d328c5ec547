"""Writes for employers: share codes, staff lists, API keys and webhooks."""

"""Writes on accounts: organisations, invitations, memberships and registrar appointments."""

"""Passport pages, one module per area: records (the worker's passport page, provider uploads,
registrar checks), verify (public verification, keys and status lists), issue (issuing and
downloading a passport)."""

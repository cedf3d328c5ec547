"""The careers forms, one module a part."""

class ApplicationError(Exception):
    """A change the rules do not allow; the message says why, in plain English, and is shown to
    the person as it is."""

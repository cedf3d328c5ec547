

class ApplicationError(Exception):
    """A change the rules do not allow; the message says why, in plain English, and is shown to
    the person as it is. `field` names the form field the message belongs next to, if any."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field

from django.http import Http404


class NoRegisterEntry(Http404):
    """The person is not on the register: a worker's own pages say so kindly."""

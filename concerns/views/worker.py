"""Not built yet: the views of issue 19 land here (see concerns/urls.py)."""

from django.http import Http404


def appeal(request, *args, **kwargs):
    raise Http404


def case(request, *args, **kwargs):
    raise Http404


def cases(request, *args, **kwargs):
    raise Http404


def document(request, *args, **kwargs):
    raise Http404


def interim_respond(request, *args, **kwargs):
    raise Http404


def py(request, *args, **kwargs):
    raise Http404


def respond(request, *args, **kwargs):
    raise Http404

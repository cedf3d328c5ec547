"""Not built yet: the views of issue 19 land here (see concerns/urls.py)."""

from django.http import Http404


def check_email(request, *args, **kwargs):
    raise Http404


def confirm(request, *args, **kwargs):
    raise Http404


def employer_raise(request, *args, **kwargs):
    raise Http404


def py(request, *args, **kwargs):
    raise Http404


def raise_concern(request, *args, **kwargs):
    raise Http404


def received(request, *args, **kwargs):
    raise Http404


def start(request, *args, **kwargs):
    raise Http404

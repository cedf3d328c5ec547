"""Not built yet: the views of issue 19 land here (see concerns/urls.py)."""

from django.http import Http404


def how(request, *args, **kwargs):
    raise Http404


def report(request, *args, **kwargs):
    raise Http404


def report_latest(request, *args, **kwargs):
    raise Http404


def report_pdf(request, *args, **kwargs):
    raise Http404

"""Not built yet: the views of issue 19 land here (see concerns/urls.py)."""

from django.http import Http404


def case(request, *args, **kwargs):
    raise Http404


def document_add(request, *args, **kwargs):
    raise Http404


def document_share(request, *args, **kwargs):
    raise Http404


def interim(request, *args, **kwargs):
    raise Http404


def interim_review(request, *args, **kwargs):
    raise Http404


def join(request, *args, **kwargs):
    raise Http404


def propose(request, *args, **kwargs):
    raise Http404


def py(request, *args, **kwargs):
    raise Http404


def queue(request, *args, **kwargs):
    raise Http404


def screen(request, *args, **kwargs):
    raise Http404


def second_opinion(request, *args, **kwargs):
    raise Http404

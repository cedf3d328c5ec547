"""View decorators for pages about a worker's own entry."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from register.errors import NoRegisterEntry


def friendly_without_entry(template: str):
    """Someone who is not on the register (an employer, a worker still applying) is shown
    `template` with a 404, not a bare error page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NoRegisterEntry:
                return render(request, template, status=404)

        return wrapper

    return decorate

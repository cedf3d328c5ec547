"""Small pieces the HTML views share."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from register.errors import ApplicationError, NoRegisterEntry


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


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error))

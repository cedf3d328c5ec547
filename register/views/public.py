"""The public register as HTML: search, and one page per entry. Open to everyone, signed in or
not; what it shows comes from register.selectors.public and nowhere else."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from register import page_cache as public_pages
from register import registration_numbers
from register.forms import PublicRegisterSearchForm
from register.selectors import public as public_register


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _page_url(*, query: str, town: str, page: int) -> str:
    parameters = {"q": query, **({"town": town} if town else {}), "page": page}
    return f"{reverse('register:public-search')}?{urlencode(parameters)}"


def _entry_path() -> str:
    sample = "CR0000000A"
    return reverse("register:public-entry", args=[sample]).removesuffix(f"{sample}/")


@require_GET
def public_register_search(request: HttpRequest) -> HttpResponse:
    if "q" not in request.GET:
        return _search_page(request)
    # A page of results is kept for the next visitor who asks for it (register/page_cache.py).
    return public_pages.search_page_response(request, lambda: _search_page(request))


def _search_page(request: HttpRequest) -> HttpResponse:
    # An empty visit shows the form; only a submitted search can have errors.
    form = PublicRegisterSearchForm(request.GET if "q" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        query, town = form.cleaned_data["q"], form.cleaned_data["town"]
        try:
            # The results table shows no conditions or annotations: don't read them.
            result = public_register.public_register_search(
                query=query,
                town=town,
                page=_page_number(request.GET.get("page")),
                annotations=False,
            )
        except public_register.PublicSearchError as error:
            form.add_error("q", str(error))
    context = {"form": form, "result": result}
    if result is not None:
        # Each result links to /register/<number>/: one reverse() for the page, not one a row.
        context["entry_path"] = _entry_path()
        context["previous_url"] = result.has_previous and _page_url(
            query=query, town=town, page=result.page - 1
        )
        context["next_url"] = result.has_next and _page_url(
            query=query, town=town, page=result.page + 1
        )
    return render(
        request,
        "register/public/search.html",
        context,
        status=400 if form.errors else 200,
    )


@require_GET
def public_register_entry(request: HttpRequest, registration_number: str) -> HttpResponse:
    canonical = registration_numbers.normalise(registration_number)
    if canonical != registration_number:
        # "cr 1000001-k" typed into the address bar reaches the one URL each entry has.
        return redirect("register:public-entry", registration_number=canonical, permanent=True)

    def page() -> HttpResponse:
        entry = public_register.public_entry_get(registration_number=canonical)
        return render(request, "register/public/entry.html", {"entry": entry})

    return public_pages.entry_page_response(request, canonical, page)

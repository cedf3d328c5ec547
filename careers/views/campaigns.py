"""Campaigns: the public campaign page with its vacancies (searched by distance), stories and
open days; the tracked links; booking an open day; the association's campaigns and funnel; an
employer's part in a campaign, its open days and its toolkit (poster and share image)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers.campaign_toolkit import CampaignPosterRenderer, PosterContent, share_image_png
from careers.campaigns_middleware import campaign_code_keep
from careers.forms.campaigns import CampaignForm, EventForm
from careers.models import Campaign, CampaignEventBooking
from careers.selectors import campaigns as selectors
from careers.services import campaigns as services
from core.csv_safety import csv_text
from core.dates import format_day
from core.errors import ApplicationError
from core.pagination import page_with_count
from core.views import add_service_error
from jobs.models import Vacancy
from jobs.search import VacancySearchForm, vacancy_search
from jobs.terms import pay_text, workplace_text

RESULTS_PER_PAGE = 20


def _form_errors(form, error: ApplicationError) -> None:
    if isinstance(error, services.CampaignInvalid):
        for field, problem in error.problems.items():
            form.add_error(field if field in form.fields else None, problem)
    else:
        add_service_error(form, error)


# --- Public -------------------------------------------------------------------------------------


@require_GET
def campaign_link(request: HttpRequest, code: str, vacancy_reference: str = "") -> HttpResponse:
    """A tracked link or QR code: the code goes into the visitor's session (counted once), then
    on to the campaign's page or the vacancy's."""
    campaign = selectors.campaign_public_get(code=code)
    vacancy = None
    if vacancy_reference:
        vacancy = selectors.campaign_vacancies(campaign).filter(reference=vacancy_reference).first()
    if campaign.is_live:
        campaign_code_keep(
            request, campaign, organisation_id=vacancy.organisation_id if vacancy else None
        )
    if vacancy is not None:
        return redirect("jobs:vacancy", reference=vacancy.reference)
    return redirect("careers:campaign", code=campaign.code)


@require_GET
def campaign_page(request: HttpRequest, code: str) -> HttpResponse:
    campaign = selectors.campaign_public_get(code=code)
    form = VacancySearchForm(request.GET or None)
    tagged = selectors.campaign_vacancies(campaign).values("pk")
    criteria = form.criteria() if form.is_bound and form.is_valid() else {}
    rows = vacancy_search(criteria=criteria).filter(pk__in=tagged)
    page = page_with_count(rows, request.GET.get("page"), RESULTS_PER_PAGE)
    return render(
        request,
        "careers/campaigns/page.html",
        {
            "campaign": campaign,
            "form": form,
            "criteria": criteria,
            "page": page,
            "stories": selectors.campaign_stories(campaign),
            "events": selectors.campaign_events(campaign),
            "employers": selectors.campaign_employers(campaign),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def event_page(request: HttpRequest, reference: str) -> HttpResponse:
    event = selectors.event_public_get(reference=reference)
    return render(
        request,
        "careers/campaigns/event.html",
        {
            "event": event,
            "places_left": max(0, event.capacity - event.booked),
            "booking": selectors.event_booking_of(event=event, user=request.user),
        },
    )


@login_required
@require_POST
def event_book(request: HttpRequest, reference: str) -> HttpResponse:
    event = selectors.event_public_get(reference=reference)
    try:
        services.event_book(event=event, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Your place is booked. We have emailed you the details, and we will remind you the "
            "day before.",
        )
    return redirect("careers:event", reference=event.reference)


@login_required
@require_POST
def event_booking_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    event = selectors.event_public_get(reference=reference)
    booking = CampaignEventBooking.objects.filter(
        event=event, user=request.user, cancelled_at__isnull=True
    ).first()
    if booking is None:
        messages.error(request, "You have no place booked at this open day.")
    else:
        try:
            services.event_booking_cancel(booking=booking, user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your booking is cancelled. Thank you for letting us know.")
    return redirect("careers:event", reference=event.reference)


# --- The association ----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def association_campaigns(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation, campaigns = selectors.association_campaigns(user=request.user, org_id=org_id)
    return render(
        request,
        "careers/campaigns/association.html",
        {"organisation": organisation, "campaigns": campaigns},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.association_for_new_campaign(user=request.user, org_id=org_id)
    form = CampaignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                organisation=organisation, user=request.user, details=form.details()
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "The campaign is saved as a draft. Only your members see it.")
            return redirect("careers:campaign-manage", reference=campaign.reference)
    return render(
        request,
        "careers/campaigns/form.html",
        {"organisation": organisation, "form": form, "campaign": None},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def campaign_manage(request: HttpRequest, reference: str) -> HttpResponse:
    campaign = selectors.campaign_to_manage(user=request.user, reference=reference)
    form = None
    if campaign.status == Campaign.Status.DRAFT:
        form = CampaignForm(
            request.POST if request.method == "POST" else None,
            initial=CampaignForm.initial_from(campaign),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.campaign_update(
                    campaign=campaign, user=request.user, details=form.details()
                )
            except ApplicationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, "Your changes are saved.")
                return redirect("careers:campaign-manage", reference=campaign.reference)
    elif request.method == "POST":
        messages.error(request, "A published campaign keeps its words and area.")
        return redirect("careers:campaign-manage", reference=campaign.reference)
    return render(
        request,
        "careers/campaigns/manage.html",
        {
            "campaign": campaign,
            "form": form,
            "employers": selectors.campaign_employers(campaign),
            "link": _link(request, campaign),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _campaign_move(request: HttpRequest, reference: str, service, done: str) -> HttpResponse:
    campaign = selectors.campaign_to_manage(user=request.user, reference=reference)
    try:
        service(campaign=campaign, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("careers:campaign-manage", reference=campaign.reference)


@login_required
@require_POST
def campaign_publish(request: HttpRequest, reference: str) -> HttpResponse:
    return _campaign_move(
        request,
        reference,
        services.campaign_publish,
        "The campaign is published. Employers can join it, and its page is open to everyone.",
    )


@login_required
@require_POST
def campaign_end(request: HttpRequest, reference: str) -> HttpResponse:
    return _campaign_move(
        request,
        reference,
        services.campaign_end,
        "The campaign has ended. Its funnel stays here for you.",
    )


@never_cache
@login_required
@require_GET
def campaign_funnel(request: HttpRequest, reference: str) -> HttpResponse:
    campaign = selectors.campaign_to_manage(user=request.user, reference=reference)
    return render(
        request,
        "careers/campaigns/funnel.html",
        {
            "campaign": campaign,
            "funnel": selectors.campaign_funnel(campaign=campaign),
            "threshold": selectors.FUNNEL_SUPPRESSION_THRESHOLD,
        },
    )


@never_cache
@login_required
@require_GET
def campaign_funnel_csv(request: HttpRequest, reference: str) -> HttpResponse:
    campaign = selectors.campaign_to_manage(user=request.user, reference=reference)
    funnel = selectors.campaign_funnel(campaign=campaign)
    response = HttpResponse(
        csv_text(selectors.campaign_funnel_csv_rows(funnel)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.code}-funnel.csv"'
    return response


# --- Employers ----------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def employer_campaigns(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation, campaigns = selectors.employer_campaigns(user=request.user, org_id=org_id)
    return render(
        request,
        "careers/campaigns/employer_list.html",
        {"organisation": organisation, "campaigns": campaigns},
    )


def _link(request: HttpRequest, campaign: Campaign, vacancy: Vacancy | None = None) -> str:
    path = (
        reverse("careers:campaign-vacancy-link", args=[campaign.code, vacancy.reference])
        if vacancy is not None
        else reverse("careers:campaign-link", args=[campaign.code])
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def employer_campaign(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    """What the employer tags to the campaign (POST saves the ticked boxes), its open days and
    its toolkit."""
    page = selectors.employer_campaign(user=request.user, org_id=org_id, code=code)
    if request.method == "POST":
        try:
            vacancy_ids = [int(pk) for pk in request.POST.getlist("vacancies")]
            story_ids = [int(pk) for pk in request.POST.getlist("stories")]
        except ValueError:
            vacancy_ids, story_ids = None, None
        try:
            if vacancy_ids is None:
                raise services.CampaignError("Choose from your vacancies and stories.")
            vacancies, stories = services.campaign_tags_set(
                campaign=page.campaign,
                organisation=page.organisation,
                user=request.user,
                vacancy_ids=vacancy_ids,
                story_ids=story_ids,
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Saved: the campaign shows {len(vacancies)} of your vacancies and "
                f"{len(stories)} of your stories.",
            )
        return redirect("careers:employer-campaign", org_id=org_id, code=code)
    return render(
        request,
        "careers/campaigns/employer.html",
        {"page": page, "link": _link(request, page.campaign)},
    )


@login_required
@require_POST
def employer_campaign_join(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    page = selectors.employer_campaign(user=request.user, org_id=org_id, code=code)
    try:
        services.campaign_join(
            campaign=page.campaign, organisation=page.organisation, user=request.user
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"You joined {page.campaign.name}. Now choose what it shows of yours."
        )
    return redirect("careers:employer-campaign", org_id=org_id, code=code)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    page = selectors.employer_campaign(user=request.user, org_id=org_id, code=code)
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                campaign=page.campaign,
                organisation=page.organisation,
                user=request.user,
                details=form.details(),
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{event.title} is on the campaign's page. People can book.")
            return redirect("careers:employer-campaign", org_id=org_id, code=code)
    return render(
        request,
        "careers/campaigns/event_form.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    event = selectors.event_to_manage(user=request.user, reference=reference)
    try:
        services.event_cancel(event=event, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{event.title} is cancelled. Everyone booked has been told.")
    return redirect(
        "careers:employer-campaign", org_id=event.organisation_id, code=event.campaign.code
    )


def _poster_content(request: HttpRequest, page, vacancy: Vacancy | None) -> PosterContent:
    campaign = page.campaign
    lines: tuple[str, ...] = ()
    if vacancy is not None:
        lines = (
            pay_text(vacancy),
            workplace_text(vacancy),
            f"Apply by {format_day(vacancy.closing_date)}",
        )
    return PosterContent(
        campaign_name=campaign.name,
        message=campaign.message,
        hashtags=campaign.hashtags,
        employer=page.organisation.name,
        dates=f"{format_day(campaign.starts_on)} to {format_day(campaign.ends_on)}",
        link=_link(request, campaign, vacancy),
        job_title=vacancy.title if vacancy is not None else "",
        job_lines=lines,
    )


def _toolkit_page(request: HttpRequest, org_id: int, code: str):
    page = selectors.employer_campaign(user=request.user, org_id=org_id, code=code)
    if not page.joined or not page.campaign.is_live:
        raise Http404("Join the campaign for its toolkit.")
    reference = request.GET.get("vacancy", "")
    vacancy = (
        selectors.employer_vacancy_for_poster(
            campaign=page.campaign, organisation=page.organisation, reference=reference
        )
        if reference
        else None
    )
    return page, vacancy


@never_cache
@login_required
@require_GET
def employer_poster(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    page, vacancy = _toolkit_page(request, org_id, code)
    pdf = CampaignPosterRenderer().render(_poster_content(request, page, vacancy))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"poster-{page.campaign.code}" + (f"-{vacancy.reference}" if vacancy else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@never_cache
@login_required
@require_GET
def employer_share_image(request: HttpRequest, org_id: int, code: str) -> HttpResponse:
    page, vacancy = _toolkit_page(request, org_id, code)
    png = share_image_png(_poster_content(request, page, vacancy))
    response = HttpResponse(png, content_type="image/png")
    name = f"share-{page.campaign.code}" + (f"-{vacancy.reference}" if vacancy else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response

"""Stories from care: the public stories page and each story with its photo; the worker's
stories to consent to; the employer's nominations; the associations' reviews."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers.forms.stories import StoryDeclineForm, StoryNominateForm
from careers.selectors import stories as selectors
from careers.services import stories as services
from core.errors import ApplicationError
from core.views import add_service_error

# --- Public -------------------------------------------------------------------------------------


@require_GET
def stories(request: HttpRequest) -> HttpResponse:
    return render(request, "careers/stories/list.html", {"stories": selectors.stories_published()})


@require_GET
def story(request: HttpRequest, reference: str) -> HttpResponse:
    return render(
        request,
        "careers/stories/story.html",
        {"story": selectors.story_published_get(reference=reference)},
    )


@require_GET
def story_photo(request: HttpRequest, reference: str) -> FileResponse:
    story = selectors.story_for_photo(
        user=request.user if request.user.is_authenticated else None, reference=reference
    )
    response = FileResponse(io.BytesIO(story.read_photo()), content_type=story.photo_type)
    # Withdrawn consent takes a photo down at once: no browser or proxy may keep it and show
    # it again without asking, and an unpublished photo is kept nowhere at all.
    response["Cache-Control"] = "public, no-cache" if story.is_published else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The worker ---------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def my_stories(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/stories/mine.html",
        {"stories": selectors.stories_about_worker(user=request.user)},
    )


@never_cache
@login_required
@require_GET
def my_story(request: HttpRequest, reference: str) -> HttpResponse:
    return render(
        request,
        "careers/stories/my_story.html",
        {"story": selectors.story_about_worker_get(user=request.user, reference=reference)},
    )


def _worker_answer(request: HttpRequest, reference: str, service, done: str) -> HttpResponse:
    story = selectors.story_about_worker_get(user=request.user, reference=reference)
    try:
        service(story=story, worker=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("careers:my-story", reference=story.reference)


@login_required
@require_POST
def my_story_consent(request: HttpRequest, reference: str) -> HttpResponse:
    return _worker_answer(
        request,
        reference,
        services.story_consent,
        "Thank you. An association will check your story before it is published. You can "
        "withdraw your consent at any time.",
    )


@login_required
@require_POST
def my_story_refuse(request: HttpRequest, reference: str) -> HttpResponse:
    return _worker_answer(
        request,
        reference,
        services.story_consent_refuse,
        "Your story will not be published. Your employer has been told.",
    )


@login_required
@require_POST
def my_story_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _worker_answer(
        request,
        reference,
        services.story_consent_withdraw,
        "You withdrew your consent. Your story is no longer shown anywhere.",
    )


# --- The employer -------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def employer_stories(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation, stories = selectors.employer_stories(user=request.user, org_id=org_id)
    return render(
        request,
        "careers/stories/employer.html",
        {"organisation": organisation, "stories": stories},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def story_nominate(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation, staff = selectors.employer_for_nomination(user=request.user, org_id=org_id)
    form = StoryNominateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        staff=staff,
    )
    if request.method == "POST" and form.is_valid():
        membership = staff.filter(pk=form.cleaned_data["worker"]).first()
        try:
            if membership is None:
                raise services.StoryInvalid({"worker": "Choose a worker on your staff list."})
            story = services.story_nominate(
                organisation=organisation,
                user=request.user,
                staff_membership=membership,
                quote=form.cleaned_data["quote"],
                role=form.cleaned_data["role"],
                in_care_since=form.cleaned_data["in_care_since"],
                photo=form.cleaned_data["photo"],
                photo_alt=form.cleaned_data["photo_alt"],
            )
        except services.StoryInvalid as error:
            for field, problem in error.problems.items():
                form.add_error(field if field in form.fields else None, problem)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"We have asked {story.display_name} to consent to their story. Nothing is "
                "shown to anyone else until they do and an association approves it.",
            )
            return redirect("careers:employer-stories", org_id=organisation.pk)
    return render(
        request,
        "careers/stories/nominate.html",
        {"organisation": organisation, "form": form, "has_staff": staff.exists()},
        status=400 if form.errors else 200,
    )


# --- The associations ---------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def story_reviews(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/stories/reviews.html",
        {"stories": selectors.stories_awaiting_approval(user=request.user)},
    )


def _review_page(request: HttpRequest, story, form=None) -> HttpResponse:
    return render(
        request,
        "careers/stories/review.html",
        {"story": story, "form": form or StoryDeclineForm()},
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def story_review(request: HttpRequest, reference: str) -> HttpResponse:
    return _review_page(request, selectors.story_to_review(user=request.user, reference=reference))


@login_required
@require_POST
def story_approve(request: HttpRequest, reference: str) -> HttpResponse:
    story = selectors.story_to_review(user=request.user, reference=reference)
    try:
        services.story_approve(story=story, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("careers:story-review", reference=story.reference)
    messages.success(request, f"{story.display_name}'s story is published.")
    return redirect("careers:story-reviews")


@login_required
@require_POST
def story_decline(request: HttpRequest, reference: str) -> HttpResponse:
    story = selectors.story_to_review(user=request.user, reference=reference)
    form = StoryDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.story_decline(
                story=story, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The story is declined. The employer has been told why.")
            return redirect("careers:story-reviews")
    return _review_page(request, story, form)

"""Carries a campaign's code through a visit, so the campaign's funnel can count it without
following anyone (issue 21, part 4: "stored as counts per stage, never as a profile of a
person").

The code arrives on a tracked link: the short path /c/<code>/ (careers/views/campaigns.py) or
`?c=<code>` on any page. It is kept in the visitor's own session only, with the time it came.
While it is there, this middleware adds one to the campaign's counts when the session opens a
vacancy page (once a vacancy) and when it sends an application; the application is then marked
with the campaign alone, so that its trial and hire are counted when the employer moves it
(careers/receivers.py), and the mark is deleted when the application ends. Nothing records
which person, which pages or when beyond the day.

A request outside /jobs/ that carries no code costs nothing more; one under /jobs/ reads the
session, which a signed-in request has read already."""

from django.utils import timezone

SESSION_KEY = "careers_campaign"
# A person looks at a handful of vacancies; the list that stops double counts stays small.
MOST_VIEWED_KEPT = 50
JOBS_PATH = "/jobs/"


def campaign_code_keep(request, campaign, *, organisation_id: int | None) -> bool:
    """Put a live campaign's code in the session and count the arrival, once a session per
    campaign. Returns whether it was counted."""
    from careers.services.campaigns import campaign_count_add

    session = request.session
    kept = session.get(SESSION_KEY)
    if kept and kept.get("id") == campaign.pk:
        return False
    session[SESSION_KEY] = {"id": campaign.pk, "since": timezone.now().isoformat(), "viewed": []}
    campaign_count_add(campaign_id=campaign.pk, organisation_id=organisation_id, stage="arrived")
    return True


class CampaignAttributionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.GET.get("c") if request.method == "GET" else None
        if code:
            self._arrive(request, code)
        response = self.get_response(request)
        # Only a vacancy page or an application's Send counts, both under /jobs/: no other
        # request reads the session for this.
        if not request.path_info.startswith(JOBS_PATH):
            return response
        session = getattr(request, "session", None)
        kept = session.get(SESSION_KEY) if session is not None else None
        match = getattr(request, "resolver_match", None)
        if not kept or match is None:
            return response
        if match.view_name == "jobs:vacancy" and request.method == "GET":
            if response.status_code == 200:
                self._viewed(request, kept, match.kwargs.get("reference", ""))
        elif (
            match.view_name == "jobs:apply-check"
            and request.method == "POST"
            and response.status_code == 302
            and request.user.is_authenticated
        ):
            self._applied(request, kept, match.kwargs.get("reference", ""))
        return response

    def _arrive(self, request, code: str) -> None:
        from careers.services.campaigns import campaign_live_by_code

        campaign = campaign_live_by_code(code)
        if campaign is None:
            return
        organisation_id = None
        if request.path_info.startswith(JOBS_PATH):
            from jobs.models import Vacancy

            reference = request.path_info.removeprefix(JOBS_PATH).strip("/")
            organisation_id = (
                Vacancy.objects.filter(reference=reference)
                .values_list("organisation_id", flat=True)
                .first()
            )
        campaign_code_keep(request, campaign, organisation_id=organisation_id)

    def _viewed(self, request, kept: dict, reference: str) -> None:
        from careers.models import CampaignVacancy
        from careers.services.campaigns import campaign_count_add

        if reference in kept["viewed"]:
            return
        # Only a vacancy the campaign shows counts towards it.
        organisation_id = (
            CampaignVacancy.objects.filter(
                campaign_id=kept["id"],
                campaign__status="published",
                vacancy__reference=reference,
            )
            .values_list("vacancy__organisation_id", flat=True)
            .first()
        )
        if organisation_id is None:
            return
        kept["viewed"] = [*kept["viewed"], reference][-MOST_VIEWED_KEPT:]
        request.session[SESSION_KEY] = kept
        campaign_count_add(campaign_id=kept["id"], organisation_id=organisation_id, stage="viewed")

    def _applied(self, request, kept: dict, reference: str) -> None:
        from django.utils.dateparse import parse_datetime

        from careers.services.campaigns import campaign_application_attribute
        from jobs.models import Application

        since = parse_datetime(kept["since"])
        # Only an application sent after the code came: "you have already applied" finds an
        # older one, which the campaign did not bring.
        application = (
            Application.objects.select_related("vacancy")
            .filter(
                vacancy__reference=reference,
                applicant=request.user,
                submitted_at__gte=since,
                vacancy__campaign_tags__campaign_id=kept["id"],
            )
            .first()
        )
        if application is not None:
            campaign_application_attribute(campaign_id=kept["id"], application=application)

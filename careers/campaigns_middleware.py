"""Carries a campaign's code through a visit, so the campaign's funnel can count it without
following anyone (issue 21, part 4: "stored as counts per stage, never as a profile of a
person").

The code arrives on a tracked link: the short path /c/<code>/ (careers/views/campaigns.py) or
`?c=<code>` on any page. It is kept in the visitor's own session only. The session holds the
campaign's id and the references of the campaign's vacancies it has opened (the newest 50, so
each is counted once), and no time; it goes when the session does (Django's
SESSION_COOKIE_AGE after it last changed, or on signing out). While it is there, this
middleware adds one to the campaign's counts when the session opens one of the campaign's
vacancy pages (once a vacancy) and when, in the same request, it sends an application for one;
the application is then marked with the campaign alone, so that its trial and hire are counted
when the employer moves it (careers/receivers.py), and the mark is deleted when the application
ends. The counts hold the day; nothing records which person or when beyond it.

At most ARRIVALS_PER_ADDRESS_PER_HOUR arrivals from one address are counted (careers/services/
campaigns.py); beyond it the page is still served, and neither a count nor a session is made.

A request outside /jobs/ that carries no code costs nothing more; one under /jobs/ reads the
session, which a signed-in request has read already."""

from django.utils import timezone

from core.requests import client_ip

SESSION_KEY = "careers_campaign"
# A person looks at a handful of vacancies; the list that stops double counts stays small.
MOST_VIEWED_KEPT = 50
JOBS_PATH = "/jobs/"


def campaign_code_keep(request, campaign, *, organisation_id: int | None) -> bool:
    """Put a live campaign's code in the session and count the arrival, once a session per
    campaign and within the address's limit. Returns whether it was counted."""
    from careers.services.campaigns import campaign_arrival_count

    session = request.session
    kept = session.get(SESSION_KEY)
    if kept and kept.get("id") == campaign.pk:
        return False
    if not campaign_arrival_count(
        campaign_id=campaign.pk, organisation_id=organisation_id, client_ip=client_ip(request)
    ):
        return False
    session[SESSION_KEY] = {"id": campaign.pk, "viewed": []}
    return True


class CampaignAttributionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # An application counts only if this request sent it: one sent before is not the
        # campaign's doing ("you have already applied" answers a Send as well).
        started = timezone.now() if request.method == "POST" else None
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
            self._applied(request, kept, match.kwargs.get("reference", ""), started)
        return response

    def _arrive(self, request, code: str) -> None:
        from careers.services.campaigns import campaign_live_by_code

        campaign = campaign_live_by_code(code)
        if campaign is None:
            return
        organisation_id = None
        if request.path_info.startswith(JOBS_PATH):
            organisation_id = self._employer_of(
                campaign.pk, request.path_info.removeprefix(JOBS_PATH).strip("/")
            )
        campaign_code_keep(request, campaign, organisation_id=organisation_id)

    @staticmethod
    def _employer_of(campaign_id: int, reference: str) -> int | None:
        """The employer of the campaign's vacancy with this reference; None for a vacancy the
        campaign does not show."""
        from careers.models import CampaignVacancy

        return (
            CampaignVacancy.objects.filter(
                campaign_id=campaign_id,
                campaign__status="published",
                vacancy__reference=reference,
            )
            .values_list("vacancy__organisation_id", flat=True)
            .first()
        )

    def _viewed(self, request, kept: dict, reference: str) -> None:
        from careers.services.campaigns import campaign_count_add

        if reference in kept["viewed"]:
            return
        # Only a vacancy the campaign shows counts towards it.
        organisation_id = self._employer_of(kept["id"], reference)
        if organisation_id is None:
            return
        kept["viewed"] = [*kept["viewed"], reference][-MOST_VIEWED_KEPT:]
        request.session[SESSION_KEY] = kept
        campaign_count_add(campaign_id=kept["id"], organisation_id=organisation_id, stage="viewed")

    def _applied(self, request, kept: dict, reference: str, started) -> None:
        from careers.services.campaigns import campaign_application_attribute
        from jobs.models import Application

        application = (
            Application.objects.select_related("vacancy")
            .filter(
                vacancy__reference=reference,
                applicant=request.user,
                submitted_at__gte=started,
                vacancy__campaign_tags__campaign_id=kept["id"],
            )
            .first()
        )
        if application is not None:
            campaign_application_attribute(campaign_id=kept["id"], application=application)
